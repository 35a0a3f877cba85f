package dev.hookbus.ingest;

import com.google.protobuf.Message;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.bus.Refusal;
import dev.hookbus.metrics.HookbusMetrics;
import dev.hookbus.otlp.OtlpCodec;
import dev.hookbus.otlp.OtlpEncoding;
import dev.hookbus.otlp.OtlpMapper;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Function;

/**
 * OTLP/HTTP as Claude Code exports it: {@code POST /v1/metrics}, {@code /v1/logs} and {@code /v1/traces}, in
 * {@code application/json} or {@code application/x-protobuf}. A body that decodes is mapped ({@link OtlpMapper}),
 * handed to the state actor, and answered 200 with the Export*ServiceResponse in the request's encoding (a partial
 * success when points or records could not be placed); a body that does not decode gets 400 with a
 * {@code google.rpc.Status}; another Content-Type 415. Traces are decoded and counted, nothing more. The size,
 * time, token and host rules are the ingest port's, as for hooks.
 */
final class OtlpRoutes {
  private final StateClient state;
  private final HookbusMetrics metrics;

  private OtlpRoutes(StateClient state, HookbusMetrics metrics) {
    this.state = state;
    this.metrics = metrics;
  }

  static void mount(Router router, JsonBody rawBody, StateClient state, HookbusMetrics metrics) {
    OtlpRoutes routes = new OtlpRoutes(state, metrics);
    router.post("/v1/metrics").handler(rawBody).handler(routes::metrics);
    router.post("/v1/logs").handler(rawBody).handler(routes::logs);
    router.post("/v1/traces").handler(rawBody).handler(routes::traces);
  }

  private void metrics(RoutingContext ctx) {
    export(ctx, ExportMetricsServiceRequest.getDefaultInstance(), "metrics",
        request -> OtlpMapper.metrics(request, System.currentTimeMillis()),
        mapped -> {
          ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
          if (mapped.rejected() > 0) {
            response.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                .setRejectedDataPoints(mapped.rejected()).setErrorMessage(mapped.rejectedWhy()));
          }
          return response.build();
        });
  }

  private void logs(RoutingContext ctx) {
    export(ctx, ExportLogsServiceRequest.getDefaultInstance(), "logs",
        request -> OtlpMapper.logs(request, System.currentTimeMillis()),
        mapped -> {
          ExportLogsServiceResponse.Builder response = ExportLogsServiceResponse.newBuilder();
          if (mapped.rejected() > 0) {
            response.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                .setRejectedLogRecords(mapped.rejected()).setErrorMessage(mapped.rejectedWhy()));
          }
          return response.build();
        });
  }

  private void traces(RoutingContext ctx) {
    export(ctx, ExportTraceServiceRequest.getDefaultInstance(), "traces",
        request -> {
          long spans = request.getResourceSpansList().stream()
              .flatMap(r -> r.getScopeSpansList().stream()).mapToLong(s -> s.getSpansCount()).sum();
          metrics.otlpSpans(spans);
          return new OtlpMapper.Mapped(java.util.List.of(), 0, null);
        },
        mapped -> ExportTraceServiceResponse.getDefaultInstance());
  }

  private <T extends Message> void export(RoutingContext ctx, T empty, String signal,
                                          Function<T, OtlpMapper.Mapped> map,
                                          Function<OtlpMapper.Mapped, Message> response) {
    OtlpEncoding encoding;
    OtlpMapper.Mapped mapped;
    try {
      encoding = OtlpEncoding.of(ctx.request().getHeader("content-type"));
    } catch (Refusal refusal) {
      state.refuse(ctx, refusal);
      return;
    }
    try {
      mapped = map.apply(OtlpCodec.decode(JsonBody.bytes(ctx).getBytes(), encoding, empty));
    } catch (Refusal refusal) {
      metrics.rejected(refusal.code().name());
      answer(ctx, FailureCode.INVALID_OTLP.httpStatus(), encoding,
          OtlpCodec.status(OtlpCodec.INVALID_ARGUMENT, refusal.getMessage(), encoding));
      return;
    }
    metrics.otlpExport(signal);
    Future<?> applied = mapped.events().isEmpty() ? Future.succeededFuture() : state.apply(mapped.events());
    applied.onSuccess(v -> answer(ctx, 200, encoding, OtlpCodec.encode(response.apply(mapped), encoding)))
        .onFailure(failure -> state.fail(ctx, failure));
  }

  private static void answer(RoutingContext ctx, int status, OtlpEncoding encoding, byte[] body) {
    ctx.response().setStatusCode(status).putHeader("content-type", encoding.mediaType()).end(Buffer.buffer(body));
  }
}
