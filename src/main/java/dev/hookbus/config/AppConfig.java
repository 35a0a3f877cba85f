package dev.hookbus.config;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/** Every setting of hookbus, validated once at boot. Missing keys take their defaults. */
public record AppConfig(IngestConfig ingest, BridgeConfig bridge, SessionsConfig sessions, MetricsConfig metrics,
                        BroadcastConfig broadcast, ClusterConfig cluster, StoreConfig store,
                        ShutdownConfig shutdown, ApprovalsConfig approvals, NotifyConfig notifications) {

  public static final Set<String> SECTIONS = Set.of("ingest", "bridge", "sessions", "metrics", "broadcast", "cluster",
      "store", "shutdown", "approvals", "notify");

  /** Builds and validates the config; throws {@link ConfigException} naming the first bad key. */
  public static AppConfig from(JsonObject json) {
    for (String name : json.fieldNames()) {
      if (!SECTIONS.contains(name)) {
        throw new ConfigException(name + " is not a known config section (known: " + SECTIONS + ")");
      }
    }
    Section ingest = Section.of(json, "ingest");
    Section bridge = Section.of(json, "bridge");
    Section sessions = Section.of(json, "sessions");
    Section metrics = Section.of(json, "metrics");
    Section broadcast = Section.of(json, "broadcast");
    Section cluster = Section.of(json, "cluster");
    Section store = Section.of(json, "store");
    Section shutdown = Section.of(json, "shutdown");
    Section approvals = Section.of(json, "approvals");
    Section notify = Section.of(json, "notify"); // the record calls it notifications: notify() is Object's
    AppConfig config = new AppConfig(IngestConfig.from(ingest), BridgeConfig.from(bridge),
        SessionsConfig.from(sessions), MetricsConfig.from(metrics), BroadcastConfig.from(broadcast),
        ClusterConfig.from(cluster), StoreConfig.from(store), ShutdownConfig.from(shutdown),
        ApprovalsConfig.from(approvals), NotifyConfig.from(notify));
    ingest.done();
    bridge.done();
    sessions.done();
    metrics.done();
    broadcast.done();
    cluster.done();
    store.done();
    shutdown.done();
    approvals.done();
    notify.done();
    return config;
  }

  public static AppConfig defaults() {
    return from(new JsonObject());
  }

  /**
   * The same config on free ports and without the journal, for tests and embedding: a test must not restore
   * another test's sessions from {@code data/}. Add {@link #withStorePath} to test durability.
   */
  public AppConfig onFreePorts() {
    return new AppConfig(ingest.withPort(0), bridge.withPort(0), sessions, metrics, broadcast, cluster,
        store.withEnabled(false), shutdown, approvals, notifications);
  }

  /** The same config with clustering switched on ({@code -cluster}). */
  public AppConfig clustered() {
    return new AppConfig(ingest, bridge, sessions, metrics, broadcast, cluster.withEnabled(true), store, shutdown,
        approvals, notifications);
  }

  /** The same config with the journal in {@code path} (a test's temp dir). */
  public AppConfig withStorePath(String path) {
    return withStore(store.withPath(path).withEnabled(true));
  }

  public AppConfig withStore(StoreConfig newStore) {
    return new AppConfig(ingest, bridge, sessions, metrics, broadcast, cluster, newStore, shutdown, approvals,
        notifications);
  }
}
