package dev.hookbus.otlp;

import io.vertx.core.json.JsonArray;
import dev.hookbus.model.UsageSum;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/usage}'s answer, summed from the journal's {@code usage:metrics} and {@code usage:api-request}
 * envelopes (pure: fed envelopes in any order). The same rule as the live state: a session's cost comes from its
 * cost points when it has any in the range, else from its api_request events, and its tokens likewise; API
 * requests are always counted from the events. Days are UTC days of when hookbus received the envelope.
 */
public final class UsageReport {
  public enum By { SESSION, MODEL, DAY }

  /** One session's two sources, each by "model\u0000day". */
  private static final class Sides {
    final Map<String, UsageSum> metrics = new HashMap<>();
    final Map<String, UsageSum> requests = new HashMap<>();
    final Map<String, Long> requestCounts = new HashMap<>();
    boolean metricCost;
    boolean metricTokens;
  }

  private final By by;
  private final Map<String, Sides> sessions = new HashMap<>();

  public UsageReport(By by) {
    this.by = by;
  }

  /** Adds one envelope; other types are ignored. */
  public void add(JsonObject envelope) {
    String sessionId = envelope.getString("sessionId");
    JsonObject payload = envelope.getJsonObject("payload");
    if (sessionId == null || payload == null) {
      return;
    }
    String day = Instant.ofEpochMilli(envelope.getLong("receivedAt", 0L)).atZone(ZoneOffset.UTC).toLocalDate()
        .toString();
    Sides sides = sessions.computeIfAbsent(sessionId, id -> new Sides());
    switch (envelope.getString("type", "")) {
      case "usage:metrics" -> {
        JsonArray points = payload.getJsonArray("points", new JsonArray());
        for (int i = 0; i < points.size(); i++) {
          JsonObject p = points.getJsonObject(i);
          String metric = p.getString("metric");
          if (!(p.getValue("delta") instanceof Number delta) || !("cost".equals(metric) || "tokens".equals(metric))) {
            continue;
          }
          UsageSum sum = sides.metrics.computeIfAbsent(key(p.getString("model"), day), k -> new UsageSum());
          if ("cost".equals(metric)) {
            sides.metricCost = true;
            sum.costUsd += delta.doubleValue();
          } else {
            sides.metricTokens = true;
            sum.addTokens(p.getString("type"), Math.round(delta.doubleValue()));
          }
        }
      }
      case "usage:api-request" -> {
        String key = key(payload.getString("model"), day);
        UsageSum sum = sides.requests.computeIfAbsent(key, k -> new UsageSum());
        sum.costUsd += number(payload, "costUsd");
        sum.input += (long) number(payload, "inputTokens");
        sum.output += (long) number(payload, "outputTokens");
        sum.cacheRead += (long) number(payload, "cacheReadTokens");
        sum.cacheCreation += (long) number(payload, "cacheCreationTokens");
        sides.requestCounts.merge(key, 1L, Long::sum);
      }
      default -> {
      }
    }
  }

  public JsonObject toJson() {
    Map<String, UsageSum> rows = new TreeMap<>();
    UsageSum total = new UsageSum();
    sessions.forEach((sessionId, sides) -> {
      Map<String, UsageSum> costs = sides.metricCost ? sides.metrics : sides.requests;
      Map<String, UsageSum> tokens = sides.metricTokens ? sides.metrics : sides.requests;
      Map<String, UsageSum> parts = new HashMap<>();
      costs.forEach((key, sum) -> parts.computeIfAbsent(key, k -> new UsageSum()).costUsd += sum.costUsd);
      tokens.forEach((key, sum) -> {
        UsageSum part = parts.computeIfAbsent(key, k -> new UsageSum());
        part.input += sum.input;
        part.output += sum.output;
        part.cacheRead += sum.cacheRead;
        part.cacheCreation += sum.cacheCreation;
      });
      sides.requestCounts.forEach((key, n) -> parts.computeIfAbsent(key, k -> new UsageSum()).apiRequests += n);
      parts.forEach((key, sum) -> {
        String[] modelDay = key.split("\u0000", 2);
        String row = switch (by) {
          case SESSION -> sessionId;
          case MODEL -> modelDay[0];
          case DAY -> modelDay[1];
        };
        rows.computeIfAbsent(row, r -> new UsageSum()).add(sum);
        total.add(sum);
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

  private static String key(String model, String day) {
    return (model == null ? "unknown" : model) + "\u0000" + day;
  }

  private static double number(JsonObject json, String key) {
    return json.getValue(key) instanceof Number n ? n.doubleValue() : 0;
  }

  private static JsonObject json(UsageSum sum) {
    return new JsonObject().put("costUsd", sum.costUsd).put("tokens", JsonObject.mapFrom(sum.tokens()))
        .put("apiRequests", sum.apiRequests);
  }
}
