package dev.hookbus.metrics;

import dev.hookbus.model.EventTypes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * hookbus's own meters, in the Prometheus registry Vert.x reports its metrics to when it was started with them
 * (see {@code Hookbus}), or in a registry of their own otherwise. Shared by every verticle instance; meters are
 * thread-safe.
 */
public final class HookbusMetrics {
  public static final String REGISTRY_NAME = "hookbus";

  private final PrometheusMeterRegistry registry;
  private final Timer ingestLatency;
  private final AtomicInteger actorInFlight = new AtomicInteger();
  private final AtomicInteger storeAvailable = new AtomicInteger(1);
  private final AtomicLong storeRefusals = new AtomicLong();
  /** Figures the state actor reports in its stats reply, by field; set at each scrape. */
  private final Map<String, AtomicLong> stateGauges = new ConcurrentHashMap<>();
  /** By type tag and by code: looked up per event, so kept rather than rebuilt through the registry each time. */
  private final Map<String, Counter> accepted = new ConcurrentHashMap<>();
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
  private final Map<String, Counter> otlpExports = new ConcurrentHashMap<>();
  private final Counter otlpSpans;
  /** Claude Code's cost and tokens by model (and type), as the state actor sums them; set at each scrape. */
  private final Map<String, AtomicReference<Double>> claudeCost = new ConcurrentHashMap<>();
  private final Map<String, AtomicReference<Double>> claudeTokens = new ConcurrentHashMap<>();

  private HookbusMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.ingestLatency = Timer.builder("hookbus_ingest_latency")
        .description("time from request body received to the hook's reply, accepted events")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(50_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    Gauge.builder("hookbus_actor_in_flight", actorInFlight, AtomicInteger::get)
        .description("requests sent to the state actor and not yet answered (its queue depth)").register(registry);
    Gauge.builder("hookbus_store_available", storeAvailable, AtomicInteger::get)
        .description("1 while the journal can be written, 0 while events are refused with STORE_UNAVAILABLE")
        .register(registry);
    FunctionCounter.builder("hookbus_store_refusals", storeRefusals, AtomicLong::get)
        .description("events refused because the journal could not keep them").register(registry);
    otlpSpans = Counter.builder("hookbus_otlp_spans").description("spans received on /v1/traces (counted, not kept)")
        .register(registry);
    stateGauge("historySize", "hookbus_history_size", "envelopes in the in-memory history window");
    stateGauge("historyBytes", "hookbus_history_bytes", "estimated bytes of the in-memory history window (sessions.historyBytes)");
    stateGauge("unkeptBytes", "hookbus_unkept_bytes", "record bytes handed to the journal or replicas and not yet kept "
        + "(sessions.maxUnkeptBytes)");
    stateGauge("fanoutBacklog", "hookbus_fanout_backlog", "envelopes published and not yet taken by the slowest bridge "
        + "(sessions.maxFanoutBacklog)");
    stateGauge("fanoutBridges", "hookbus_fanout_bridges", "bridge instances (of every node, in a cluster) whose "
        + "fan-out progress the backlog counts");
    stateGauge("pendingSyncs", "hookbus_pending_syncs", "snapshot requests waiting for their seq to be kept");
    stateCounter("journalFsyncs", "hookbus_journal_fsyncs", "fsyncs of the journal's group commit", 1);
    stateCounter("journalFsyncNanos", "hookbus_journal_fsync_seconds", "time spent in those fsyncs", 1e-9);
    stateCounter("journalAppends", "hookbus_journal_appends", "transitions those fsyncs covered (appends per fsync "
        + "is the group size)", 1);
  }

  /** Uses the registry Vert.x was started with, if any. */
  public static HookbusMetrics create() {
    MeterRegistry vertxRegistry = BackendRegistries.getNow(REGISTRY_NAME);
    return new HookbusMetrics(vertxRegistry instanceof PrometheusMeterRegistry prometheus ? prometheus
        : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public void accepted(String type, long nanos) {
    accepted.computeIfAbsent(typeTag(type), tag -> Counter.builder("hookbus_events_accepted").tag("type", tag)
        .register(registry)).increment();
    ingestLatency.record(Duration.ofNanos(nanos));
  }

  public void rejected(String code) {
    rejected.computeIfAbsent(code, c -> Counter.builder("hookbus_events_rejected").tag("code", c)
        .register(registry)).increment();
  }

  /** One OTLP export request decoded, by signal (metrics, logs, traces). */
  public void otlpExport(String signal) {
    otlpExports.computeIfAbsent(signal, s -> Counter.builder("hookbus_otlp_exports").tag("signal", s)
        .description("OTLP/HTTP export requests decoded").register(registry)).increment();
  }

  /** Spans in a decoded {@code /v1/traces} request: accepted and counted, not kept. */
  public void otlpSpans(long spans) {
    otlpSpans.increment(spans);
  }

  public AtomicInteger actorInFlight() {
    return actorInFlight;
  }

  /** The state actor's figures, from its {@code internal.state.stats} reply: history, buffers, store. */
  public void stateStats(JsonObject stats) {
    stateGauges.forEach((field, gauge) -> gauge.set(stats.getLong(field, 0L)));
    storeAvailable.set("unavailable".equals(stats.getString("store")) ? 0 : 1);
    storeRefusals.set(stats.getLong("storeRefusals", 0L));
    JsonObject byModel = stats.getJsonObject("usageByModel");
    if (byModel != null) {
      byModel.forEach(entry -> claudeUsage(entry.getKey(), (JsonObject) entry.getValue()));
    }
  }

  private void claudeUsage(String model, JsonObject usage) {
    claudeCost.computeIfAbsent(model, m -> {
      AtomicReference<Double> value = new AtomicReference<>(0.0);
      FunctionCounter.builder("hookbus_claude_cost_usd", value, AtomicReference::get).tag("model", m)
          .description("Claude Code's cost in USD from its OpenTelemetry export, ended sessions included")
          .register(registry);
      return value;
    }).set(usage.getDouble("costUsd", 0.0));
    JsonObject tokens = usage.getJsonObject("tokens", new JsonObject());
    for (String type : List.of("input", "output", "cacheRead", "cacheCreation")) {
      claudeTokens.computeIfAbsent(model + "|" + type, key -> {
        AtomicReference<Double> value = new AtomicReference<>(0.0);
        FunctionCounter.builder("hookbus_claude_tokens", value, AtomicReference::get).tag("model", model)
            .tag("type", type).description("Claude Code's tokens from its OpenTelemetry export, by model and type")
            .register(registry);
        return value;
      }).set(tokens.getLong(type, 0L).doubleValue());
    }
  }

  private void stateGauge(String field, String name, String description) {
    AtomicLong value = stateGauges.computeIfAbsent(field, f -> new AtomicLong());
    Gauge.builder(name, value, AtomicLong::get).description(description).register(registry);
  }

  private void stateCounter(String field, String name, String description, double scale) {
    AtomicLong value = stateGauges.computeIfAbsent(field, f -> new AtomicLong());
    FunctionCounter.builder(name, value, v -> v.get() * scale).description(description).register(registry);
  }

  /** Canonical types by name; custom ones together, so a sender cannot grow the label set without bound. */
  private static String typeTag(String type) {
    return EventTypes.SESSION_SCOPED.contains(type) ? type : "custom";
  }
}
