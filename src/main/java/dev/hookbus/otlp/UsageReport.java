package dev.hookbus.otlp;

import dev.hookbus.model.EventTypes;
import dev.hookbus.model.UsageSum;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@code GET /api/usage}'s answer, summed from the journal's {@code usage:metrics} and {@code usage:api-request}
 * envelopes (pure: fed envelopes in any order), or from the {@link UsageRollup}'s cells of the same envelopes. The
 * same rule as the live state: a session's cost comes from its cost points when it has any in the range, else from
 * its api_request events, and its tokens likewise; API requests are always counted from the events. Days are UTC
 * days of when hookbus received the envelope.
 */
public final class UsageReport {
  public enum By { SESSION, MODEL, DAY }

  /** One session's usage of one model over some stretch of time, from each of the two sources. */
  public static final class Cell {
    /** From metric points ({@code apiRequests} stays 0). */
    public final UsageSum metrics = new UsageSum();
    /** From api_request events, which are counted in {@code apiRequests}. */
    public final UsageSum requests = new UsageSum();
    /** Whether a cost point, or a token point, arrived at all (a point of 0 counts: the metric is on). */
    public boolean metricCost;
    public boolean metricTokens;

    public void add(Cell other) {
      metrics.add(other.metrics);
      requests.add(other.requests);
      metricCost |= other.metricCost;
      metricTokens |= other.metricTokens;
    }

    /** Compact, for the checkpoint: a side that never got anything is left out. */
    public JsonObject toJson() {
      JsonObject json = new JsonObject();
      if (metricCost || metricTokens) {
        json.put("x", metrics.toJson()).put("fc", metricCost).put("ft", metricTokens);
      }
      if (requests.apiRequests > 0) {
        json.put("q", requests.toJson());
      }
      return json;
    }

    public static Cell fromJson(JsonObject json) {
      Cell cell = new Cell();
      cell.metrics.add(UsageSum.fromJson(json.getJsonObject("x", new JsonObject())));
      cell.requests.add(UsageSum.fromJson(json.getJsonObject("q", new JsonObject())));
      cell.metricCost = json.getBoolean("fc", false);
      cell.metricTokens = json.getBoolean("ft", false);
      return cell;
    }
  }

  private final By by;
  /** Per session, per "model\u0000day". Sorted maps: the same cells always sum in the same order. */
  private final Map<String, Map<String, Cell>> sessions = new TreeMap<>();

  public UsageReport(By by) {
    this.by = by;
  }

  /** Whether {@link #fold} takes envelopes of this type. */
  public static boolean counts(String type) {
    return EventTypes.USAGE_METRICS.equals(type) || EventTypes.USAGE_API_REQUEST.equals(type);
  }

  /**
   * Adds what one usage envelope says to the cell of each model it names ({@code cellOf(model)}, "unknown" for
   * none); other types, and envelopes without a session or payload, add nothing.
   */
  public static void fold(JsonObject envelope, Function<String, Cell> cellOf) {
    JsonObject payload = envelope.getJsonObject("payload");
    if (envelope.getString("sessionId") == null || payload == null) {
      return;
    }
    switch (envelope.getString("type", "")) {
      case EventTypes.USAGE_METRICS -> {
        JsonArray points = payload.getJsonArray("points", new JsonArray());
        for (int i = 0; i < points.size(); i++) {
          JsonObject p = points.getJsonObject(i);
          String metric = p.getString("metric");
          if (!(p.getValue("delta") instanceof Number delta) || !("cost".equals(metric) || "tokens".equals(metric))) {
            continue;
          }
          Cell cell = cellOf.apply(model(p.getString("model")));
          if ("cost".equals(metric)) {
            cell.metricCost = true;
            cell.metrics.costUsd += delta.doubleValue();
          } else {
            cell.metricTokens = true;
            cell.metrics.addTokens(p.getString("type"), Math.round(delta.doubleValue()));
          }
        }
      }
      case EventTypes.USAGE_API_REQUEST -> {
        UsageSum sum = cellOf.apply(model(payload.getString("model"))).requests;
        sum.costUsd += number(payload, "costUsd");
        sum.input += (long) number(payload, "inputTokens");
        sum.output += (long) number(payload, "outputTokens");
        sum.cacheRead += (long) number(payload, "cacheReadTokens");
        sum.cacheCreation += (long) number(payload, "cacheCreationTokens");
        sum.apiRequests++;
      }
      default -> {
      }
    }
  }

  /** Adds one envelope; other types are ignored. */
  public void add(JsonObject envelope) {
    String sessionId = envelope.getString("sessionId");
    if (sessionId == null) {
      return;
    }
    String day = day(envelope.getLong("receivedAt", 0L));
    fold(envelope, model -> cell(sessionId, model, day));
  }

  /** Adds a cell of the rollup: one session's usage of one model, received on {@code day} (yyyy-mm-dd, UTC). */
  public void add(String sessionId, String model, String day, Cell cell) {
    cell(sessionId, model, day).add(cell);
  }

  public static String day(long epochMs) {
    return Instant.ofEpochMilli(epochMs).atZone(ZoneOffset.UTC).toLocalDate().toString();
  }

  private Cell cell(String sessionId, String model, String day) {
    return sessions.computeIfAbsent(sessionId, id -> new TreeMap<>())
        .computeIfAbsent(model + "\u0000" + day, k -> new Cell());
  }

  public JsonObject toJson() {
    Map<String, UsageSum> rows = new TreeMap<>();
    UsageSum total = new UsageSum();
    sessions.forEach((sessionId, cells) -> {
      boolean metricCost = cells.values().stream().anyMatch(c -> c.metricCost);
      boolean metricTokens = cells.values().stream().anyMatch(c -> c.metricTokens);
      cells.forEach((key, cell) -> {
        UsageSum costs = metricCost ? cell.metrics : cell.requests;
        UsageSum tokens = metricTokens ? cell.metrics : cell.requests;
        UsageSum part = new UsageSum();
        part.costUsd = costs.costUsd;
        part.input = tokens.input;
        part.output = tokens.output;
        part.cacheRead = tokens.cacheRead;
        part.cacheCreation = tokens.cacheCreation;
        part.apiRequests = cell.requests.apiRequests;
        if (!makesRow(cell, metricCost || metricTokens)) {
          return;
        }
        String[] modelDay = key.split("\u0000", 2);
        String row = switch (by) {
          case SESSION -> sessionId;
          case MODEL -> modelDay[0];
          case DAY -> modelDay[1];
        };
        rows.computeIfAbsent(row, r -> new UsageSum()).add(part);
        total.add(part);
      });
    });
    List<Map.Entry<String, UsageSum>> ordered = new ArrayList<>(rows.entrySet());
    if (by != By.DAY) {
      ordered.sort(Comparator.comparingDouble((Map.Entry<String, UsageSum> e) -> -e.getValue().costUsd)
          .thenComparing(Map.Entry::getKey));
    }
    JsonArray out = new JsonArray();
    String name = by.name().toLowerCase(java.util.Locale.ROOT);
    ordered.forEach(e -> out.add(new JsonObject().put(name, e.getKey()).mergeIn(json(e.getValue()))));
    return new JsonObject().put("by", name).put("total", json(total)).put("rows", out);
  }

  /** A cell makes a row when it has api_request events, or metric points while the session's metrics count. */
  private static boolean makesRow(Cell cell, boolean metricsCount) {
    return cell.requests.apiRequests > 0 || metricsCount && (cell.metricCost || cell.metricTokens);
  }

  private static String model(String model) {
    return model == null ? "unknown" : model;
  }

  private static double number(JsonObject json, String key) {
    return json.getValue(key) instanceof Number n ? n.doubleValue() : 0;
  }

  private static JsonObject json(UsageSum sum) {
    return new JsonObject().put("costUsd", sum.costUsd).put("tokens", JsonObject.mapFrom(sum.tokens()))
        .put("apiRequests", sum.apiRequests);
  }
}
