package dev.hookbus.ingest;

import dev.hookbus.support.HookbusProcess;
import dev.hookbus.support.PostRoute;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the README tells a user to do, as a separate hookbus process and the real {@code curl}: {@code -d} (a form
 * content type) with bodies that a form decoder refuses ("50% done", over 8 KB, 10 MB), on every POST route; every
 * answer is JSON, and hookbus's own log holds no WARN or ERROR.
 */
class CurlBodiesProcessTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("curl -d with \"50% done\", 100 KB and 10 MB bodies on every route: 200, and a quiet log")
  void curlDashD() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "needs /usr/bin/curl");
    // A 10 MB body on a cold JVM beside a busy build once took longer than the 5 s reply timeout (a 503): this test
    // is about content types, so the actor gets a minute.
    try (HookbusProcess hookbus = HookbusProcess.launch().under(dir)
        .config("{\"ingest\":{\"port\":0,\"replyTimeoutMs\":60000},\"bridge\":{\"port\":0},"
            + "\"store\":{\"enabled\":false}}").start()) {
      assertThat(hookbus.listening()).as(hookbus.log()).isTrue();
      String base = "http://127.0.0.1:" + hookbus.ingestPort();
      for (PostRoute route : PostRoute.values()) {
        for (int size : new int[] {200, 100 * 1024, 10 * 1024 * 1024}) {
          Path body = dir.resolve("body-" + route + "-" + size + ".json");
          Files.writeString(body, AnyContentTypeTest.bodyOfSize(route, "curl", size));
          List<String> answer = curl("-d", "@" + body, base + route.path());
          assertThat(answer.get(0)).as(route + " " + size + ": " + answer).isEqualTo("200");
          assertThat(answer.get(1)).startsWith("application/json");
        }
      }
      List<String> broken = curl("-d", "{\"type\":\"tool:pre\",", base + "/api/events");
      assertThat(broken.subList(0, 2)).containsExactly("400", "application/json; charset=utf-8");
      assertThat(broken.get(2)).startsWith("{\"error\":\"the body is not valid JSON: Unexpected end-of-input")
          .endsWith("at line 1 column 20\",\"code\":\"INVALID_JSON\"}");
      assertThat(hookbus.log()).doesNotContain("WARN").doesNotContain("ERROR");
    }
  }

  /** Runs curl; returns the status, the content type and the body. */
  private List<String> curl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/usr/bin/curl", "-s", "-o", "-", "-w",
        "\n%{http_code}\n%{content_type}"));
    command.addAll(List.of(args));
    Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String[] lines = out.split("\n");
    int n = lines.length;
    return List.of(lines[n - 2], lines[n - 1], String.join("\n", List.of(lines).subList(0, n - 2)));
  }
}
