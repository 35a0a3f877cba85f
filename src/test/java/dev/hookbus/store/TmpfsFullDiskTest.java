package dev.hookbus.store;

import dev.hookbus.support.HookbusProcess;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The journal on a real 3 MB tmpfs, filled by a separate hookbus process; then the tmpfs grows and writes resume.
 * Needs root and {@code mount -t tmpfs} (CI on these machines has both); skipped with the reason otherwise.
 */
class TmpfsFullDiskTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String BIG = "x".repeat(20_000);

  @TempDir
  Path dir;

  @Test
  @DisplayName("a real full tmpfs: 503 STORE_UNAVAILABLE, ready 503 naming the store, one ERROR line; more space: ready again, one INFO line, nothing acknowledged lost")
  void realFullDisk() throws Exception {
    Path mount = Files.createDirectories(dir.resolve("tmpfs"));
    String mounted = run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mount.toString());
    assumeTrue(mounted.isEmpty(), "cannot mount a tmpfs here (needs root): " + mounted);
    HookbusProcess hookbus = null;
    try {
      String config = "{\"ingest\":{\"port\":0},\"bridge\":{\"port\":0},\"store\":{\"path\":\"" + mount + "\"}}";
      hookbus = HookbusProcess.launch().under(dir).config(config).start();
      assertThat(hookbus.listening()).as(hookbus.log()).isTrue();
      long acknowledged = 0;
      HttpResponse<String> response;
      do {
        response = post(hookbus, "Lost-or-kept");
        acknowledged += response.statusCode() == 200 ? 1 : 0;
      } while (response.statusCode() == 200 && acknowledged < 10_000);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
      assertThat(response.body()).contains("STORE_UNAVAILABLE");
      int refused = 1;
      for (int i = 0; i < 20; i++) {
        assertThat(post(hookbus, "Lost").statusCode()).isEqualTo(503);
        refused++;
      }
      HttpResponse<String> ready = get(hookbus.bridgePort(), "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("\"store\":\"unavailable\"");
      assertThat(get(hookbus.ingestPort(), "/metrics").body())
          .contains("hookbus_store_refusals_total " + refused + ".0", "hookbus_store_available 0.0");
      assertThat(errorAndWarnLines(hookbus)).as(hookbus.log()).hasSize(1)
          .first().asString().contains("the journal cannot be written", "No space left on device");

      assertThat(run("mount", "-o", "remount,size=16m", mount.toString())).isEmpty();
      do {
        response = post(hookbus, "Kept");
      } while (response.statusCode() == 503 && ++refused < 10_000);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      acknowledged++;
      assertThat(get(hookbus.ingestPort(), "/health/ready").statusCode()).isEqualTo(200);
      assertThat(hookbus.log()).contains("the journal can be written again");
      assertThat(errorAndWarnLines(hookbus)).hasSize(1);
      hookbus.sigterm();
      assertThat(hookbus.waitForExit()).isZero();

      hookbus = HookbusProcess.launch().under(dir).config(config).start();
      assertThat(get(hookbus.ingestPort(), "/api/sessions").body()).contains("\"seq\":" + (acknowledged + 1) + ",");
    } finally {
      if (hookbus != null) {
        hookbus.close();
      }
      run("umount", mount.toString());
    }
  }

  private static List<String> errorAndWarnLines(HookbusProcess hookbus) {
    return hookbus.log().lines().filter(line -> line.contains(" ERROR ") || line.contains(" WARN ")).toList();
  }

  private static HttpResponse<String> post(HookbusProcess hookbus, String tool) throws IOException, InterruptedException {
    String body = "{\"type\":\"tool:post\",\"payload\":{\"sessionId\":\"full\",\"toolName\":\"" + tool
        + "\",\"output\":\"" + BIG + "\"}}";
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hookbus.ingestPort() + "/api/events"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Runs a command; returns its output when it failed, "" when it succeeded. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.toString();
    }
    String output = new String(process.getInputStream().readAllBytes());
    return process.waitFor() == 0 ? "" : "exit " + process.exitValue() + ": " + output.strip();
  }
}
