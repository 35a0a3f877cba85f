package dev.hookbus.state;

import dev.hookbus.model.Event;
import dev.hookbus.model.WaitReason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.hookbus.model.EventTypes.*;

/**
 * What the {@code usage:*} events from Claude Code's OpenTelemetry export do to a session's {@link Usage} (and, for
 * a rejected tool or an API error, to the session). Pure, like {@link SessionRules}.
 */
final class UsageRules {
  private UsageRules() {
  }

  /**
   * Adds the points of a {@code usage:metrics} event; returns its payload with each point's {@code delta}, which
   * is what the envelope (and so the journal, and {@code /api/usage}) carries. Replaying it computes the same deltas.
   */
  static Map<String, Object> metrics(Usage usage, Map<String, Object> payload) {
    List<Map<String, Object>> points = new ArrayList<>();
    for (Object item : list(payload.get("points"))) {
      Map<String, Object> point = map(item);
      if (point == null || !(point.get("value") instanceof Number value)) {
        continue;
      }
      String metric = text(point, "metric");
      String type = text(point, "type");
      String model = text(point, "model");
      String agent = text(point, "agentId");
      long start = point.get("startMs") instanceof Number n ? n.longValue() : 0;
      double delta = usage.delta(metric + "|" + type + "|" + model + "|" + agent, text(point, "temporality"),
          value.doubleValue(), start);
      add(usage, metric, type, model, agent, delta);
      Map<String, Object> out = new LinkedHashMap<>(point);
      out.put("delta", delta);
      points.add(out);
    }
    usage.changed = true;
    Map<String, Object> enriched = new LinkedHashMap<>(payload);
    enriched.put("points", points);
    return enriched;
  }

  private static void add(Usage usage, String metric, String type, String model, String agent, double delta) {
    switch (metric == null ? "" : metric) {
      case "cost" -> usage.metrics.cost(model, agent, delta);
      case "tokens" -> usage.metrics.tokens(model, agent, type, Math.round(delta));
      case "lines" -> {
        if ("added".equals(type)) {
          usage.linesAdded += delta;
        } else if ("removed".equals(type)) {
          usage.linesRemoved += delta;
        }
      }
      case "activeTime" -> usage.activeTimeS += delta;
      case "commits" -> usage.commits += delta;
      case "pullRequests" -> usage.pullRequests += delta;
      default -> {
      }
    }
  }

  /** {@code usage:api-request}, {@code usage:api-error}, {@code usage:tool-decision}. */
  static void apply(Session session, Event event) {
    Map<String, Object> p = event.payload();
    Usage usage = session.usage();
    usage.changed = true;
    switch (event.type()) {
      case USAGE_API_REQUEST -> {
        String model = text(p, "model");
        String agent = event.agentId();
        usage.requests.request(model, agent);
        usage.requests.cost(model, agent, number(p, "costUsd"));
        usage.requests.tokens(model, agent, "input", (long) number(p, "inputTokens"));
        usage.requests.tokens(model, agent, "output", (long) number(p, "outputTokens"));
        usage.requests.tokens(model, agent, "cacheRead", (long) number(p, "cacheReadTokens"));
        usage.requests.tokens(model, agent, "cacheCreation", (long) number(p, "cacheCreationTokens"));
      }
      case USAGE_API_ERROR -> {
        usage.apiErrors++;
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error", text(p, "error"));
        error.put("statusCode", text(p, "statusCode"));
        error.put("model", text(p, "model"));
        error.put("at", event.timestamp());
        usage.lastApiError = error;
      }
      case USAGE_TOOL_DECISION -> toolDecision(session, p);
      default -> {
      }
    }
  }

  /**
   * A prompt the person rejected (or dismissed with Esc) fires no hook; the decision event is the only sign that the
   * session no longer waits. Rejected: Claude carries on without the tool. Aborted: the turn is over.
   */
  private static void toolDecision(Session session, Map<String, Object> p) {
    String source = text(p, "source");
    boolean reject = "reject".equals(text(p, "decision")) || "user_reject".equals(source);
    boolean abort = "user_abort".equals(source);
    if (!reject && !abort || !session.waitsFor(WaitReason.PERMISSION)) {
      return;
    }
    if (abort) {
      session.idle();
    } else {
      session.activate();
    }
  }

  private static List<?> list(Object value) {
    if (value instanceof JsonArray array) {
      return array.getList();
    }
    return value instanceof List<?> list ? list : List.of();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    if (value instanceof JsonObject json) {
      return json.getMap();
    }
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
  }

  private static String text(Map<String, Object> map, String key) {
    return map.get(key) instanceof String s ? s : null;
  }

  private static double number(Map<String, Object> map, String key) {
    return map.get(key) instanceof Number n ? n.doubleValue() : 0;
  }
}
