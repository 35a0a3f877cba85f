package dev.hookbus.config;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static dev.hookbus.support.Await.failure;
import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppConfigTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    result(vertx.close());
  }

  @Test
  @DisplayName("conf/config.json holds every knob with exactly the built-in default")
  void shippedConfigIsTheDefaults() throws Exception {
    JsonObject shipped = new JsonObject(Files.readString(Path.of("conf/config.json")));
    assertThat(AppConfig.from(shipped)).isEqualTo(AppConfig.defaults());
    AppConfig defaults = AppConfig.defaults();
    assertThat(defaults.ingest().port()).isEqualTo(3847);
    assertThat(defaults.bridge().port()).isEqualTo(3848);
    assertThat(defaults.sessions().tables()).isEqualTo(8);
    assertThat(defaults.ingest().host()).isEqualTo("127.0.0.1");
    assertThat(defaults.ingest().corsOrigins()).as("no web page but the dashboard by default").isEmpty();
    assertThat(defaults.ingest().allowedHosts()).isEmpty();
    assertThat(defaults.bridge().allowedHosts()).isEmpty();
  }

  @Test
  @DisplayName("a bad value fails with a message that names the key")
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> AppConfig.from(new JsonObject().put("ingest", new JsonObject().put("port", "abc"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ingest.port");
    assertThatThrownBy(() -> AppConfig.from(new JsonObject().put("sessions", new JsonObject().put("tables", 0))))
        .hasMessageContaining("sessions.tables");
    assertThatThrownBy(() -> AppConfig.from(new JsonObject().put("bridge", new JsonObject().put("prot", 1))))
        .hasMessageContaining("bridge.prot is not a known setting");
    assertThatThrownBy(() -> AppConfig.from(new JsonObject().put("ingres", new JsonObject())))
        .hasMessageContaining("ingres");
    assertThatThrownBy(() -> AppConfig.from(new JsonObject().put("sessions", new JsonObject()
        .put("teams", new io.vertx.core.json.JsonArray().add(new JsonObject().put("key", "x").put("name", "X")
            .put("color", "red"))))))
        .hasMessageContaining("sessions.teams");
  }

  @Test
  @DisplayName("PORT, HOOKBUS_HOST, HOOKBUS_BRIDGE_PORT and HOOKBUS_<SECTION>_<KEY> override the file")
  void environmentOverrides() {
    JsonObject file = new JsonObject().put("ingest", new JsonObject().put("port", 1111).put("maxBatch", 10));
    Map<String, String> env = Map.of("PORT", "9999", "HOOKBUS_BRIDGE_PORT", "9998", "HOOKBUS_HOST", "0.0.0.0",
        "HOOKBUS_INGEST_CORS_ORIGINS", "[\"http://a.example\"]", "HOOKBUS_TOKEN", "not-a-setting", "HOME", "/root",
        "HOOKBUS_INGEST_ALLOWED_HOSTS", "[\"hookbus.lan\"]", "HOOKBUS_BRIDGE_ALLOWED_HOSTS", "[\"dash.lan\"]");
    AppConfig config = AppConfig.from(EnvOverrides.apply(file, env, Set.of("ingest", "bridge", "sessions", "metrics")));
    assertThat(config.ingest().port()).isEqualTo(9999);
    assertThat(config.ingest().maxBatch()).isEqualTo(10);
    assertThat(config.bridge().port()).isEqualTo(9998);
    assertThat(config.ingest().host()).isEqualTo("0.0.0.0");
    assertThat(config.bridge().host()).isEqualTo("0.0.0.0");
    assertThat(config.ingest().corsOrigins()).containsExactly("http://a.example");
    assertThat(config.ingest().allowedHosts()).containsExactly("hookbus.lan");
    assertThat(config.bridge().allowedHosts()).containsExactly("dash.lan");
  }

  @Test
  @DisplayName("the loader reads a -conf file, refuses a missing one and reports broken JSON")
  void loader() throws Exception {
    Path file = Files.createTempFile("hookbus", ".json");
    Files.writeString(file, "{\"sessions\":{\"tables\":3}}");
    assertThat(result(ConfigLoader.load(vertx, file.toString(), Map.of())).sessions().tables()).isEqualTo(3);
    assertThat(failure(ConfigLoader.load(vertx, "/nonexistent/hookbus.json", Map.of())))
        .hasMessageContaining("/nonexistent/hookbus.json");
    Files.writeString(file, "{\"sessions\":");
    assertThat(failure(ConfigLoader.load(vertx, file.toString(), Map.of()))).hasMessageContaining("not valid JSON");
    Files.writeString(file, "{\"sessions\":{\"idleTimeoutMs\":true}}");
    assertThat(failure(ConfigLoader.load(vertx, file.toString(), Map.of())))
        .hasMessageContaining("sessions.idleTimeoutMs");
  }
}
