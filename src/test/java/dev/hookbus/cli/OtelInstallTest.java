package dev.hookbus.cli;

import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code hooks install --otel}, its undoing, and what doctor says of it and of the managed settings. */
class OtelInstallTest {
  private static final String USER_SETTINGS = """
      {
        "model": "opus",
        "env": { "FOO": "bär ✓", "OTEL_METRICS_EXPORTER": "prometheus" }
      }
      """;

  @TempDir
  Path home;

  private final CliRunner cli = new CliRunner();

  private int cli(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--home";
    all[args.length + 1] = home.toString();
    all[args.length + 2] = "--project";
    all[args.length + 3] = home.resolve("project").toString();
    return cli.run(all);
  }

  private Path settings() {
    return home.resolve(".claude/settings.json");
  }

  @Test
  @DisplayName("--otel writes the env block and the token helper, keeps the user's env, and uninstall undoes it "
      + "byte for byte")
  void installAndUninstall() throws Exception {
    Files.createDirectories(settings().getParent());
    Files.writeString(settings(), USER_SETTINGS);
    assertThat(cli("hooks", "install", "--otel", "--url", "http://127.0.0.1:3847", "--token-env", "HOOKBUS_TOKEN"))
        .as(cli.out()).isZero();
    JsonObject json = new JsonObject(Files.readString(settings()));
    JsonObject env = json.getJsonObject("env");
    assertThat(env.getMap()).containsEntry("FOO", "bär ✓")
        .containsEntry("CLAUDE_CODE_ENABLE_TELEMETRY", "1")
        .containsEntry("OTEL_METRICS_EXPORTER", "prometheus,otlp")
        .containsEntry("OTEL_LOGS_EXPORTER", "otlp")
        .containsEntry("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
        .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:3847")
        .containsEntry("OTEL_METRIC_EXPORT_INTERVAL", "10000");
    assertThat(json.getString("otelHeadersHelper")).isEqualTo(
        "printf '{\"Authorization\":\"Bearer %s\"}' \"$HOOKBUS_TOKEN\"");
    assertThat(Files.readString(settings())).doesNotContain("secret");
    assertThat(json.getString("model")).isEqualTo("opus");

    cli.reset();
    cli("hooks", "install", "--otel", "--url", "http://127.0.0.1:3847", "--token-env", "HOOKBUS_TOKEN");
    assertThat(cli.out()).contains("nothing to change");

    cli.reset();
    assertThat(cli("hooks", "uninstall")).isZero();
    assertThat(Files.readString(settings())).isEqualTo(USER_SETTINGS);
  }

  @Test
  @DisplayName("uninstall after the user edited the file keeps their edits and takes out only hookbus's keys")
  void uninstallKeepsLaterEdits() throws Exception {
    cli("hooks", "install", "--otel", "--url", "http://127.0.0.1:3847");
    JsonObject json = new JsonObject(Files.readString(settings()));
    json.getJsonObject("env").put("OTEL_LOGS_EXPORTER", "console,otlp").put("MINE", "1");
    Files.writeString(settings(), json.encodePrettily());
    cli("hooks", "uninstall");
    JsonObject after = new JsonObject(Files.readString(settings()));
    assertThat(after.getJsonObject("env").getMap()).containsOnly(
        java.util.Map.entry("OTEL_LOGS_EXPORTER", "console"), java.util.Map.entry("MINE", "1"));
    assertThat(after.containsKey("hooks")).isFalse();
  }

  @Test
  @DisplayName("doctor checks the export and the managed allowlists, and says what to change")
  void doctor() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      TestServer server = TestServer.start(vertx);
      String url = "http://127.0.0.1:" + server.ingestPort();
      cli("hooks", "install", "--otel", "--url", url, "--token-env", "HOOKBUS_TOKEN");
      Path managed = home.resolve("managed-settings.json");
      Files.writeString(managed, "{\"allowedHttpHookUrls\":[\"http://127.0.0.1:" + server.ingestPort() + "/*\"]}");
      cli.reset();
      int code = cli("doctor", "--url", url, "--managed-settings", managed.toString());
      assertThat(cli.out()).contains("ok    OpenTelemetry export", "exports metrics and events to " + url,
          "ok    managed settings");
      assertThat(code).as(cli.out()).isZero();

      Files.writeString(managed, "{\"allowedHttpHookUrls\":[\"https://hooks.example.com/*\"],"
          + "\"httpHookAllowedEnvVars\":[\"OTHER\"]}");
      cli.reset();
      assertThat(cli("doctor", "--url", url, "--managed-settings", managed.toString())).isEqualTo(1);
      assertThat(cli.out()).contains("FAIL  managed settings", "add \"" + url + "/api/hooks/claude\" to it",
          "lacks HOOKBUS_TOKEN");

      cli.reset();
      cli("doctor", "--url", "http://127.0.0.1:1", "--managed-settings", managed.toString());
      assertThat(cli.out()).contains("FAIL  OpenTelemetry export",
          "OTEL_EXPORTER_OTLP_ENDPOINT is " + url + ", not http://127.0.0.1:1");
    } finally {
      result(vertx.close());
    }
  }
}
