package dev.hookbus.node;

import dev.hookbus.bus.Addresses;
import dev.hookbus.config.AppConfig;
import dev.hookbus.config.ConfigException;
import dev.hookbus.config.EnvOverrides;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Watches the config file while hookbus runs. A valid change is published on {@link Addresses#CONFIG_RELOAD};
 * the settings listed in {@link #LIVE} take effect at once, any other changed key is reported as needing a
 * restart. An invalid file is reported and ignored: the running config stays.
 */
public final class ConfigWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
  private static final long SCAN_PERIOD_MS = 1_000;

  /** Settings that change behaviour without a restart. */
  static final Set<String> LIVE = Set.of("ingest.tokens", "ingest.corsOrigins", "ingest.allowedHosts",
      "bridge.tokens", "bridge.allowedOrigins", "bridge.allowedHosts", "bridge.maxConnections",
      "bridge.maxSubscriptionsPerSocket",
      "bridge.inboundRatePerSecond", "bridge.inboundBurst", "bridge.maxClientMessageBytes",
      "bridge.maxQueuedBytesPerSocket", "bridge.maxViolationsPerSocket");

  private final Vertx vertx;
  private final Map<String, String> env;
  private ConfigRetriever retriever;
  private JsonObject current;

  public ConfigWatcher(Vertx vertx, Map<String, String> env) {
    this.vertx = vertx;
    this.env = env;
  }

  public void watch(String path) {
    ConfigStoreOptions file = new ConfigStoreOptions().setType("file").setFormat("json").setOptional(true)
        .setConfig(new JsonObject().put("path", path));
    retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().setScanPeriod(SCAN_PERIOD_MS)
        .addStore(file));
    retriever.getConfig().onSuccess(json -> current = withEnv(json));
    retriever.listen(change -> apply(withEnv(change.getNewConfiguration())));
  }

  public void close() {
    if (retriever != null) {
      retriever.close();
    }
  }

  private JsonObject withEnv(JsonObject json) {
    return EnvOverrides.apply(json, env, AppConfig.SECTIONS);
  }

  private void apply(JsonObject next) {
    try {
      AppConfig.from(next);
    } catch (ConfigException e) {
      LOG.error("config change ignored, the running config stays: {}", e.getMessage());
      return;
    }
    List<String> restart = new ArrayList<>();
    List<String> live = new ArrayList<>();
    for (String key : changedKeys(current == null ? new JsonObject() : current, next)) {
      (LIVE.contains(key) ? live : restart).add(key);
    }
    current = next;
    if (!live.isEmpty()) {
      LOG.info("config reloaded: {}", live);
    }
    if (!restart.isEmpty()) {
      LOG.warn("config changed, needs a restart to take effect: {}", restart);
    }
    vertx.eventBus().publish(Addresses.CONFIG_RELOAD, next);
  }

  static List<String> changedKeys(JsonObject before, JsonObject after) {
    List<String> keys = new ArrayList<>();
    for (String section : AppConfig.SECTIONS) {
      JsonObject a = before.getJsonObject(section, new JsonObject());
      JsonObject b = after.getJsonObject(section, new JsonObject());
      Set<String> names = new java.util.TreeSet<>(a.fieldNames());
      names.addAll(b.fieldNames());
      for (String name : names) {
        if (!java.util.Objects.equals(a.getValue(name), b.getValue(name))) {
          keys.add(section + "." + name);
        }
      }
    }
    return keys;
  }
}
