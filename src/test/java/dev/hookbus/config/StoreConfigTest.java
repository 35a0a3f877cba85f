package dev.hookbus.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreConfigTest {

  @Test
  @DisplayName("conf/config.json holds exactly the built-in store and shutdown defaults")
  void shippedFileEqualsDefaults() throws IOException {
    AppConfig shipped = AppConfig.from(new JsonObject(Files.readString(Path.of("conf/config.json"))));
    AppConfig defaults = AppConfig.defaults();
    assertThat(shipped.store()).isEqualTo(defaults.store());
    assertThat(shipped.shutdown()).isEqualTo(defaults.shutdown());
    assertThat(defaults.store()).isEqualTo(new StoreConfig(true, "data/", "batch", 5, 7, 1_000_000, 64L << 20, 10_000));
    assertThat(defaults.shutdown().timeoutMs()).isEqualTo(10_000);
  }

  @Test
  @DisplayName("bad store settings fail the boot naming the key")
  void validation() {
    assertThatThrownBy(() -> AppConfig.from(new JsonObject().put("store", new JsonObject().put("fsync", "sometimes"))))
        .hasMessageContaining("store.fsync");
    assertThatThrownBy(() -> AppConfig.from(new JsonObject().put("store", new JsonObject().put("maxEvents", 3))))
        .hasMessageContaining("store.maxEvents");
    assertThatThrownBy(() -> AppConfig.from(new JsonObject().put("store", new JsonObject().put("pth", "x"))))
        .hasMessageContaining("store.pth is not a known setting");
    assertThatThrownBy(() -> AppConfig.from(new JsonObject().put("shutdown", new JsonObject().put("timeoutMs", 0))))
        .hasMessageContaining("shutdown.timeoutMs");
  }

  @Test
  @DisplayName("HOOKBUS_STORE_* environment variables override the file")
  void environment() {
    JsonObject json = EnvOverrides.apply(new JsonObject(), Map.of("HOOKBUS_STORE_FSYNC", "always",
        "HOOKBUS_STORE_PATH", "/var/lib/hookbus", "HOOKBUS_SHUTDOWN_TIMEOUT_MS", "2000"), AppConfig.SECTIONS);
    AppConfig config = AppConfig.from(json);
    assertThat(config.store().fsync()).isEqualTo("always");
    assertThat(config.store().path()).isEqualTo("/var/lib/hookbus");
    assertThat(config.shutdown().timeoutMs()).isEqualTo(2000);
  }
}
