package dev.hookbus.cli;

import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** With ingest tokens on, the installed hooks carry the token from an environment variable, never the token. */
class TokenHooksTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  @Test
  @DisplayName("http hooks name the variable in headers and allowedEnvVars; the command hook really authenticates")
  void tokenFromEnvironment() throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject()
        .put("ingest", new JsonObject().put("tokens", new JsonArray().add("s3cret-token"))));
    JsonObject hooks = HooksInstaller.desired("http://127.0.0.1:" + server.ingestPort(), "HOOKBUS_TOKEN");
    JsonObject http = hooks.getJsonArray("PreToolUse").getJsonObject(0).getJsonArray("hooks").getJsonObject(0);
    assertThat(http.getJsonObject("headers").getString("Authorization")).isEqualTo("Bearer $HOOKBUS_TOKEN");
    assertThat(http.getJsonArray("allowedEnvVars")).containsExactly("HOOKBUS_TOKEN");
    assertThat(hooks.encode()).doesNotContain("s3cret-token");

    String command = hooks.getJsonArray("SessionStart").getJsonObject(0).getJsonArray("hooks").getJsonObject(0)
        .getString("command");
    ProcessBuilder hook = new ProcessBuilder("bash", "-c", command);
    hook.environment().put("HOOKBUS_TOKEN", "s3cret-token");
    Process process = hook.start();
    process.getOutputStream().write(new JsonObject().put("hook_event_name", "SessionStart")
        .put("session_id", "token-session").put("source", "startup").put("cwd", "/tmp").encode()
        .getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();

    JsonObject snapshot = result(server.http().get(server.ingestPort(), "127.0.0.1", "/api/sessions")
        .putHeader("Authorization", "Bearer s3cret-token").send()).bodyAsJsonObject();
    assertThat(snapshot.getJsonArray("sessions").getJsonObject(0).getString("sessionId")).isEqualTo("token-session");
  }
}
