package dev.hookbus;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Starts hookbus the way a user does, as its own process, and stops it the way Ctrl-C does. */
class HookbusProcessTest {
  private static final Pattern INGEST_LINE = Pattern.compile("ingest listening on [0-9.]+:(\\d+)");

  private static Process launch(Map<String, String> env, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Hookbus.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  @Test
  @DisplayName("a bad config stops the start with a message naming the key")
  void badConfig() throws Exception {
    Path conf = Files.createTempFile("hookbus-bad", ".json");
    Files.writeString(conf, "{\"ingest\":{\"port\":\"three\"}}");
    Path log = Files.createTempFile("hookbus-bad", ".log");
    Process process = launch(Map.of(), log, "-conf", conf.toString());
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(log);
    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(output).contains("bad configuration").contains("ingest.port");
  }

  @Test
  @DisplayName("it starts with env overrides, answers /health, and stops cleanly on SIGTERM")
  void startsAndStops() throws Exception {
    // Output goes to a file: reading a child's pipe races with its exit ("Stream closed").
    Path log = Files.createTempFile("hookbus-run", ".log");
    Path store = Files.createTempDirectory("hookbus-store");
    Process process = launch(Map.of("PORT", "0", "HOOKBUS_BRIDGE_PORT", "0", "HOOKBUS_STORE_PATH", store.toString()),
        log);
    try {
      int port = ingestPort(log, process);
      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.body()).contains("\"status\":\"ok\"");

      process.destroy();
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(log)).contains("stopping hookbus").doesNotContain("Exception");
    } finally {
      process.destroyForcibly();
    }
  }

  /** Waits (bounded) for the log line that names the ingest port; a process's log has no event to wait on. */
  private static int ingestPort(Path log, Process process) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline && process.isAlive()) {
      Matcher matcher = INGEST_LINE.matcher(Files.readString(log));
      if (matcher.find()) {
        return Integer.parseInt(matcher.group(1));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("hookbus did not report its ingest port:\n" + Files.readString(log));
  }
}
