package dev.hookbus.otlp;

import dev.hookbus.model.Event;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.hookbus.model.EventTypes.*;

/**
 * Claude Code's OTLP export mapped to hookbus events (pure: no clock, no I/O). Metrics become one
 * {@code usage:metrics} event per session and export, holding its sum points as sent (the state actor turns
 * cumulative points into deltas, since only it sees the series over time); {@code api_request}, {@code api_error}
 * and {@code tool_decision} log events become one event each. Everything else is ignored, not refused: a receiver
 * takes what it does not use. A Claude Code point or event without {@code session.id} is counted as rejected
 * (OTLP partial success), since hookbus cannot place it.
 */
public final class OtlpMapper {
  /** The sum metrics hookbus keeps, by their name in the export, and the short name the points get. */
  static final Map<String, String> METRICS = Map.of(
      "claude_code.cost.usage", "cost",
      "claude_code.token.usage", "tokens",
      "claude_code.lines_of_code.count", "lines",
      "claude_code.active_time.total", "activeTime",
      "claude_code.commit.count", "commits",
      "claude_code.pull_request.count", "pullRequests");
  private static final String SESSION_ID = "session.id";
  private static final String[] AGENT_ID = {"agent.id", "agent_id"};

  /** Events to apply, and how many points or log records were rejected (with why, for the partial success). */
  public record Mapped(List<Event> events, long rejected, String rejectedWhy) {
  }

  private OtlpMapper() {
  }

  public static Mapped metrics(ExportMetricsServiceRequest request, long now) {
    Map<String, List<Map<String, Object>>> pointsBySession = new LinkedHashMap<>();
    Map<String, Long> latest = new LinkedHashMap<>();
    long rejected = 0;
    for (ResourceMetrics resource : request.getResourceMetricsList()) {
      for (ScopeMetrics scope : resource.getScopeMetricsList()) {
        for (Metric metric : scope.getMetricsList()) {
          String name = METRICS.get(metric.getName());
          if (name == null || !metric.hasSum()) {
            continue;
          }
          String temporality = metric.getSum().getAggregationTemporality()
              == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE ? "cumulative" : "delta";
          for (NumberDataPoint point : metric.getSum().getDataPointsList()) {
            Attributes attributes = Attributes.of(resource.getResource().getAttributesList(),
                point.getAttributesList());
            String sessionId = attributes.text(SESSION_ID);
            if (sessionId == null) {
              rejected++;
              continue;
            }
            long timeMs = millis(point.getTimeUnixNano(), now);
            pointsBySession.computeIfAbsent(sessionId, id -> new ArrayList<>())
                .add(point(name, temporality, point, attributes, timeMs));
            latest.merge(sessionId, timeMs, Math::max);
          }
        }
      }
    }
    List<Event> events = new ArrayList<>(pointsBySession.size());
    pointsBySession.forEach((sessionId, points) -> {
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("sessionId", sessionId);
      payload.put("points", points);
      events.add(new Event(USAGE_METRICS, latest.get(sessionId), now, sessionId, null, payload));
    });
    return new Mapped(events, rejected, rejected == 0 ? null : rejected + " data points without session.id");
  }

  private static Map<String, Object> point(String name, String temporality, NumberDataPoint point,
                                           Attributes attributes, long timeMs) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("metric", name);
    putIfSet(out, "type", attributes.text("type"));
    putIfSet(out, "model", attributes.text("model"));
    putIfSet(out, "agentId", attributes.text(AGENT_ID));
    out.put("value", point.getValueCase() == NumberDataPoint.ValueCase.AS_INT
        ? (double) point.getAsInt() : point.getAsDouble());
    out.put("temporality", temporality);
    out.put("startMs", millis(point.getStartTimeUnixNano(), 0));
    out.put("timeMs", timeMs);
    return out;
  }

  public static Mapped logs(ExportLogsServiceRequest request, long now) {
    List<Event> events = new ArrayList<>();
    long rejected = 0;
    for (ResourceLogs resource : request.getResourceLogsList()) {
      for (ScopeLogs scope : resource.getScopeLogsList()) {
        for (LogRecord record : scope.getLogRecordsList()) {
          Attributes attributes = Attributes.of(resource.getResource().getAttributesList(),
              record.getAttributesList());
          String type = typeOf(eventName(record, attributes));
          if (type == null) {
            continue;
          }
          String sessionId = attributes.text(SESSION_ID);
          if (sessionId == null) {
            rejected++;
            continue;
          }
          long at = millis(record.getTimeUnixNano(), millis(record.getObservedTimeUnixNano(), now));
          events.add(new Event(type, at, now, sessionId, attributes.text(AGENT_ID),
              payload(type, sessionId, attributes)));
        }
      }
    }
    return new Mapped(events, rejected, rejected == 0 ? null : rejected + " log records without session.id");
  }

  private static String eventName(LogRecord record, Attributes attributes) {
    String name = attributes.text("event.name");
    if (name == null && record.getBody().hasStringValue()) {
      name = record.getBody().getStringValue();
    }
    if (name == null) {
      name = record.getEventName();
    }
    return name != null && name.startsWith("claude_code.") ? name.substring("claude_code.".length()) : name;
  }

  private static String typeOf(String eventName) {
    if (eventName == null) {
      return null;
    }
    return switch (eventName) {
      case "api_request" -> USAGE_API_REQUEST;
      case "api_error" -> USAGE_API_ERROR;
      case "tool_decision" -> USAGE_TOOL_DECISION;
      default -> null;
    };
  }

  private static Map<String, Object> payload(String type, String sessionId, Attributes a) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("sessionId", sessionId);
    putIfSet(p, "agentId", a.text(AGENT_ID));
    putIfSet(p, "promptId", a.text("prompt.id"));
    switch (type) {
      case USAGE_API_REQUEST -> {
        putIfSet(p, "model", a.text("model"));
        putIfSet(p, "costUsd", a.number("cost_usd"));
        putIfSet(p, "inputTokens", a.whole("input_tokens"));
        putIfSet(p, "outputTokens", a.whole("output_tokens"));
        putIfSet(p, "cacheReadTokens", a.whole("cache_read_tokens"));
        putIfSet(p, "cacheCreationTokens", a.whole("cache_creation_tokens"));
        putIfSet(p, "durationMs", a.whole("duration_ms"));
      }
      case USAGE_API_ERROR -> {
        putIfSet(p, "model", a.text("model"));
        putIfSet(p, "error", a.text("error"));
        putIfSet(p, "statusCode", a.text("status_code"));
        putIfSet(p, "durationMs", a.whole("duration_ms"));
        putIfSet(p, "attempt", a.whole("attempt"));
      }
      default -> {
        putIfSet(p, "toolName", a.text("tool_name"));
        putIfSet(p, "decision", a.text("decision"));
        putIfSet(p, "source", a.text("source"));
      }
    }
    return p;
  }

  private static void putIfSet(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  private static long millis(long unixNanos, long fallback) {
    return unixNanos > 0 ? unixNanos / 1_000_000 : fallback;
  }
}
