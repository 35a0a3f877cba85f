package dev.hookbus.bench;

import dev.hookbus.support.HookbusProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import com.sun.net.httpserver.HttpServer;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The replies to the first hooks after a start, when the JIT has compiled nothing yet: hookbus started as the README
 * starts it ({@code bin/hookbus}, with its class archive), then the real Claude Code bodies of the test corpus
 * ({@code claude/*.jsonl}: three interleaved sessions, a real run, a subagent run; 75 hook bodies) posted to
 * {@code /api/hooks/claude} one after the other, as one Claude Code session sends them, right after
 * {@code /health/ready}. {@code --starts} fresh starts for each of the JVM option sets in {@code --variants}
 * ({@code ;}-separated; {@code -} is none, {@code -Xshare:off} turns class sharing off). {@code src/bench/first-hooks.sh}.
 * Prints one JSON line.
 */
public final class FirstHooksBench {
  private static final String[] CORPUS = {"/claude/corpus.jsonl", "/claude/claude-code-2.1.332.jsonl",
      "/claude/claude-code-2.1.332-subagent.jsonl"};

  private FirstHooksBench() {
  }

  public static void main(String[] args) throws Exception {
    int starts = 3;
    String variants = "-;-Xshare:off";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--starts" -> starts = Integer.parseInt(args[i + 1]);
        case "--variants" -> variants = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<String> bodies = corpus();
    HttpClient http = HttpClient.newHttpClient();
    warmClient(http, bodies);
    // The launcher makes its class archive on its first start after a build: not part of what is measured.
    new ProcessBuilder("bin/hookbus", "--version").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    JsonObject result = new JsonObject().put("scenario", "first-hooks").put("bodies", bodies.size())
        .put("starts", starts);
    JsonArray runs = new JsonArray();
    for (String variant : variants.split(";")) {
      String jvm = variant.equals("-") ? "" : variant;
      for (int start = 0; start < starts; start++) {
        runs.add(run(http, jvm, bodies).put("serverOpts", jvm));
      }
    }
    System.out.println(result.put("runs", runs).encode());
  }

  /**
   * The generator's own HTTP client is a cold JVM too: it sends the corpus 40 times to a stub server of its own
   * first, so that what is measured is hookbus's side.
   */
  private static void warmClient(HttpClient http, List<String> bodies) throws Exception {
    HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stub.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] reply = "{}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, reply.length);
      exchange.getResponseBody().write(reply);
      exchange.close();
    });
    stub.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + stub.getAddress().getPort() + "/api/hooks/claude");
      for (int round = 0; round < 40; round++) {
        for (String body : bodies) {
          http.send(HttpRequest.newBuilder(uri).header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }
      }
    } finally {
      stub.stop(0);
    }
  }

  private static JsonObject run(HttpClient http, String jvm, List<String> bodies) throws Exception {
    Path dir = Files.createTempDirectory("hookbus-first-hooks");
    String config = new JsonObject().put("ingest", new JsonObject().put("port", 0))
        .put("bridge", new JsonObject().put("port", 0))
        .put("store", new JsonObject().put("path", dir.resolve("data").toString())).encode();
    long launched = System.nanoTime();
    try (HookbusProcess hookbus = HookbusProcess.launch().launcher(Path.of("bin", "hookbus")).jvmOptions(jvm)
        .under(dir).config(config).start()) {
      if (!hookbus.listening()) {
        throw new IllegalStateException("hookbus did not start: " + hookbus.log());
      }
      URI ready = URI.create("http://127.0.0.1:" + hookbus.ingestPort() + "/health/ready");
      while (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode()
          != 200) {
        Thread.onSpinWait();
      }
      long readyMs = (System.nanoTime() - launched) / 1_000_000;
      URI hooks = URI.create("http://127.0.0.1:" + hookbus.ingestPort() + "/api/hooks/claude");
      Histogram replies = new Histogram(3);
      long first = 0;
      for (String body : bodies) {
        long sent = System.nanoTime();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(hooks)
            .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        long micros = (System.nanoTime() - sent) / 1_000;
        if (answer.statusCode() != 200) {
          throw new IllegalStateException("a corpus body answered " + answer.statusCode() + " " + answer.body());
        }
        first = first == 0 ? micros : first;
        replies.recordValue(micros);
      }
      hookbus.sigterm();
      hookbus.waitForExit();
      return new JsonObject().put("readyMs", readyMs).put("firstReplyMs", first / 1000.0)
          .put("replyMs", new JsonObject()
              .put("p50", replies.getValueAtPercentile(50) / 1000.0)
              .put("p90", replies.getValueAtPercentile(90) / 1000.0)
              .put("max", replies.getMaxValue() / 1000.0));
    }
  }

  private static List<String> corpus() throws IOException {
    List<String> bodies = new ArrayList<>();
    for (String resource : CORPUS) {
      try (InputStream in = FirstHooksBench.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("missing test resource " + resource);
        }
        // Hook bodies only: the corpus also holds status-line bodies, which go to another route.
        new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank())
            .filter(line -> new JsonObject(line).containsKey("hook_event_name")).forEach(bodies::add);
      }
    }
    return bodies;
  }
}
