package dev.hookbus.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;

/**
 * Reads {@code conf/config.json} (or the file given with {@code -conf}) with vertx-config, applies the
 * environment overrides and validates the result into an {@link AppConfig}.
 */
public final class ConfigLoader {
  public static final String DEFAULT_PATH = "conf/config.json";
  private static final Set<String> SECTIONS = AppConfig.SECTIONS;

  private ConfigLoader() {
  }

  /**
   * @param explicitPath the {@code -conf} file, which must exist; null for the default path, which may be absent
   */
  public static Future<AppConfig> load(Vertx vertx, String explicitPath, Map<String, String> env) {
    String path = explicitPath == null ? DEFAULT_PATH : explicitPath;
    return vertx.fileSystem().exists(path).compose(exists -> {
      if (!exists && explicitPath != null) {
        return Future.failedFuture(new ConfigException("config file " + path + " does not exist"));
      }
      return exists ? readFile(vertx, path) : Future.succeededFuture(new JsonObject());
    }).map(json -> AppConfig.from(EnvOverrides.apply(json, env, SECTIONS)));
  }

  private static Future<JsonObject> readFile(Vertx vertx, String path) {
    ConfigStoreOptions file = new ConfigStoreOptions().setType("file").setFormat("json")
        .setConfig(new JsonObject().put("path", path));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().addStore(file));
    return retriever.getConfig()
        .recover(e -> Future.failedFuture(new ConfigException(path + " is not valid JSON: " + e.getMessage())))
        .onComplete(done -> retriever.close());
  }
}
