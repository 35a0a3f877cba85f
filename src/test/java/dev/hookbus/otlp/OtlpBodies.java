package dev.hookbus.otlp;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;

import java.util.ArrayList;
import java.util.List;

/**
 * OTLP bodies as Claude Code sends them: protobuf built with the official classes, and JSON text in the shape its
 * exporter ({@code OTel-OTLP-Exporter-JavaScript}) writes: int64 times as strings, delta temporality (1), every
 * attribute a {@code stringValue}, a scope named after Claude Code.
 */
public final class OtlpBodies {
  public static final long START_NS = 1_763_700_000_000_000_000L;

  private OtlpBodies() {
  }

  /** One data point: session, model, type (or null), value, time offset in seconds from {@link #START_NS}. */
  public record Point(String metric, String sessionId, String model, String type, double value, int atSecond) {
  }

  public static Point point(String metric, String sessionId, String model, String type, double value, int atSecond) {
    return new Point(metric, sessionId, model, type, value, atSecond);
  }

  /** A metrics export with one Sum per point (as the SDK would group them, one metric per name is not needed). */
  public static ExportMetricsServiceRequest metrics(AggregationTemporality temporality, Point... points) {
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("com.anthropic.claude_code").setVersion("2.1.332"));
    for (Point p : points) {
      NumberDataPoint.Builder dp = NumberDataPoint.newBuilder()
          .setStartTimeUnixNano(START_NS)
          .setTimeUnixNano(START_NS + p.atSecond() * 1_000_000_000L)
          .setAsDouble(p.value());
      dp.addAttributes(attr("session.id", p.sessionId()));
      if (p.model() != null) {
        dp.addAttributes(attr("model", p.model()));
      }
      if (p.type() != null) {
        dp.addAttributes(attr("type", p.type()));
      }
      dp.addAttributes(attr("user.id", "u-1"));
      scope.addMetrics(Metric.newBuilder().setName(p.metric()).setUnit("1")
          .setSum(Sum.newBuilder().setAggregationTemporality(temporality).setIsMonotonic(true).addDataPoints(dp)));
    }
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(resource()).addScopeMetrics(scope)).build();
  }

  /** A logs export of Claude Code events: each is an event name and attribute pairs. */
  public static ExportLogsServiceRequest logs(List<List<String>> events) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("com.anthropic.claude_code.events"));
    int i = 0;
    for (List<String> event : events) {
      LogRecord.Builder record = LogRecord.newBuilder().setTimeUnixNano(START_NS + (i++) * 1_000_000L)
          .setBody(AnyValue.newBuilder().setStringValue("claude_code." + event.get(0)))
          .addAttributes(attr("event.name", event.get(0)));
      for (int k = 1; k + 1 < event.size(); k += 2) {
        record.addAttributes(attr(event.get(k), event.get(k + 1)));
      }
      scope.addLogRecords(record);
    }
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder().setResource(resource())
        .addScopeLogs(scope)).build();
  }

  public static List<String> event(String name, String... attributes) {
    List<String> event = new ArrayList<>();
    event.add(name);
    event.addAll(List.of(attributes));
    return event;
  }

  /** JSON text of a metrics export, written out by hand as the JavaScript exporter writes it. */
  public static String metricsJson(int temporality, Point... points) {
    StringBuilder metrics = new StringBuilder();
    for (Point p : points) {
      if (metrics.length() > 0) {
        metrics.append(',');
      }
      StringBuilder attrs = new StringBuilder("{\"key\":\"user.id\",\"value\":{\"stringValue\":\"u-1\"}},"
          + "{\"key\":\"session.id\",\"value\":{\"stringValue\":\"" + p.sessionId() + "\"}}");
      if (p.model() != null) {
        attrs.append(",{\"key\":\"model\",\"value\":{\"stringValue\":\"").append(p.model()).append("\"}}");
      }
      if (p.type() != null) {
        attrs.append(",{\"key\":\"type\",\"value\":{\"stringValue\":\"").append(p.type()).append("\"}}");
      }
      metrics.append("{\"name\":\"").append(p.metric()).append("\",\"description\":\"\",\"unit\":\"USD\",")
          .append("\"sum\":{\"aggregationTemporality\":").append(temporality).append(",\"isMonotonic\":true,")
          .append("\"dataPoints\":[{\"attributes\":[").append(attrs).append("],")
          .append("\"startTimeUnixNano\":\"").append(START_NS).append("\",")
          .append("\"timeUnixNano\":\"").append(START_NS + p.atSecond() * 1_000_000_000L).append("\",")
          .append("\"asDouble\":").append(p.value()).append("}]}}");
    }
    return "{\"resourceMetrics\":[{\"resource\":{\"attributes\":["
        + "{\"key\":\"service.name\",\"value\":{\"stringValue\":\"claude-code\"}},"
        + "{\"key\":\"service.version\",\"value\":{\"stringValue\":\"2.1.332\"}}],\"droppedAttributesCount\":0},"
        + "\"scopeMetrics\":[{\"scope\":{\"name\":\"com.anthropic.claude_code\",\"version\":\"2.1.332\"},"
        + "\"metrics\":[" + metrics + "]}]}]}";
  }

  /** JSON text of a logs export: numeric attributes as strings, as Claude Code sends some of them. */
  public static String logsJson(List<List<String>> events) {
    StringBuilder records = new StringBuilder();
    int i = 0;
    for (List<String> event : events) {
      if (records.length() > 0) {
        records.append(',');
      }
      StringBuilder attrs = new StringBuilder("{\"key\":\"event.name\",\"value\":{\"stringValue\":\"")
          .append(event.get(0)).append("\"}}");
      for (int k = 1; k + 1 < event.size(); k += 2) {
        attrs.append(",{\"key\":\"").append(event.get(k)).append("\",\"value\":{\"stringValue\":\"")
            .append(event.get(k + 1)).append("\"}}");
      }
      records.append("{\"timeUnixNano\":\"").append(START_NS + (i++) * 1_000_000L).append("\",")
          .append("\"observedTimeUnixNano\":\"").append(START_NS).append("\",\"severityNumber\":9,")
          .append("\"body\":{\"stringValue\":\"claude_code.").append(event.get(0)).append("\"},")
          .append("\"attributes\":[").append(attrs).append("],\"droppedAttributesCount\":0,")
          .append("\"traceId\":\"\",\"spanId\":\"\"}");
    }
    return "{\"resourceLogs\":[{\"resource\":{\"attributes\":["
        + "{\"key\":\"service.name\",\"value\":{\"stringValue\":\"claude-code\"}}],\"droppedAttributesCount\":0},"
        + "\"scopeLogs\":[{\"scope\":{\"name\":\"com.anthropic.claude_code.events\",\"version\":\"2.1.332\"},"
        + "\"logRecords\":[" + records + "]}]}]}";
  }

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static Resource resource() {
    return Resource.newBuilder().addAttributes(attr("service.name", "claude-code"))
        .addAttributes(attr("service.version", "2.1.332")).build();
  }
}
