package dev.hookbus;

import dev.hookbus.support.HookbusProcess;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Starts hookbus the way a user does, as its own process, and stops it the way Ctrl-C does. */
class HookbusProcessTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("a bad config stops the start with a message naming the key")
  void badConfig() throws Exception {
    HookbusProcess hookbus = HookbusProcess.start(dir, "{\"ingest\":{\"port\":\"three\"}}");
    assertThat(hookbus.listening()).isFalse();
    assertThat(hookbus.waitForExit()).isEqualTo(1);
    assertThat(hookbus.log()).contains("bad configuration").contains("ingest.port");
  }

  @Test
  @DisplayName("it starts with env overrides, answers /health, and stops cleanly on SIGTERM with exit code 0")
  void startsAndStops() throws Exception {
    String store = dir.resolve("data").toString();
    HookbusProcess hookbus = HookbusProcess.start(dir, "{\"ingest\":{\"port\":3847},\"bridge\":{\"port\":3848}}",
        Map.of("PORT", "0", "HOOKBUS_BRIDGE_PORT", "0", "HOOKBUS_STORE_PATH", store));
    try {
      assertThat(hookbus.listening()).as(hookbus.log()).isTrue();
      assertThat(hookbus.ingestPort()).isNotEqualTo(3847);
      assertThat(hookbus.bridgePort()).isNotEqualTo(3848);
      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hookbus.ingestPort() + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.body()).contains("\"status\":\"ok\"");

      hookbus.sigterm();
      assertThat(hookbus.waitForExit()).isZero();
      assertThat(hookbus.log()).contains("stopping hookbus").contains("hookbus stopped").doesNotContain("Exception")
          .contains(store);
    } finally {
      hookbus.destroyIfAlive();
    }
  }

  @Test
  @DisplayName("a frozen hookbus (SIGSTOP) answers what it was sent once it goes on (SIGCONT), then stops cleanly")
  void freezeAndThaw() throws Exception {
    HookbusProcess hookbus = HookbusProcess.start(dir, "{\"ingest\":{\"port\":0},\"bridge\":{\"port\":0},"
        + "\"store\":{\"enabled\":false}}");
    try {
      assertThat(hookbus.listening()).as(hookbus.log()).isTrue();
      hookbus.sigstop();
      CompletableFuture<HttpResponse<String>> health = HttpClient.newHttpClient().sendAsync(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hookbus.ingestPort() + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      hookbus.sigcont();
      assertThat(health.get(30, TimeUnit.SECONDS).body()).contains("\"status\":\"ok\"");
      hookbus.sigterm();
      assertThat(hookbus.waitForExit()).isZero();
    } finally {
      hookbus.destroyIfAlive();
    }
  }
}
