package dev.hookbus.bench;

import dev.hookbus.support.HookbusProcess;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What hookbus holds after real Claude Code bodies, started as the README starts it ({@code bin/hookbus}): retained
 * heap (the bridge's {@code /stats} {@code heapUsed} right after {@code jcmd <pid> GC.run}) and RSS, idle and after
 * {@code --writes} (3 000) {@code tool:post} Write events with a 200 KB {@code content}, posted one after the other;
 * then checks that the first one still comes back whole from {@code GET /api/events/<seq>}.
 * {@code src/bench/memory.sh}. Prints one JSON line.
 */
public final class MemoryBench {
  private MemoryBench() {
  }

  public static void main(String[] args) throws Exception {
    int writes = 3_000;
    String jvm = "";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--writes" -> writes = Integer.parseInt(args[i + 1]);
        case "--server-opts" -> jvm = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("hookbus-memory");
    String config = new JsonObject().put("ingest", new JsonObject().put("port", 0))
        .put("bridge", new JsonObject().put("port", 0))
        .put("store", new JsonObject().put("path", dir.resolve("data").toString())).encode();
    HttpClient http = HttpClient.newHttpClient();
    try (HookbusProcess hookbus = HookbusProcess.launch().launcher(Path.of("bin", "hookbus")).jvmOptions(jvm)
        .under(dir).config(config).start()) {
      if (!hookbus.listening()) {
        throw new IllegalStateException("hookbus did not start: " + hookbus.log());
      }
      JsonObject result = new JsonObject().put("scenario", "memory").put("serverOpts", jvm);
      result.put("idle", measure(http, hookbus));
      String content = "x".repeat(200 * 1024);
      URI events = URI.create("http://127.0.0.1:" + hookbus.ingestPort() + "/api/events");
      long started = System.nanoTime();
      long firstSeq = -1;
      for (int n = 0; n < writes; n++) {
        String body = new JsonObject().put("type", "tool:post").put("payload", new JsonObject()
            .put("sessionId", "memory-" + (n % 5)).put("toolName", "Write")
            .put("toolInput", new JsonObject().put("file_path", "/src/file" + n + ".txt").put("content", content)))
            .encode();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(events)
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
          throw new IllegalStateException("POST " + n + " answered " + answer.statusCode() + " " + answer.body());
        }
        if (n == 0) {
          firstSeq = new JsonObject(answer.body()).getLong("seq");
        }
      }
      result.put("writes", writes).put("writeSeconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
      result.put("afterWrites", measure(http, hookbus));
      String first = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hookbus.ingestPort()
          + "/api/events/" + firstSeq)).build(), HttpResponse.BodyHandlers.ofString()).body();
      result.put("firstWriteWhole", new JsonObject(first).getJsonObject("payload").getJsonObject("toolInput")
          .getString("content").length() == content.length());
      System.out.println(result.encode());
      hookbus.sigterm();
      hookbus.waitForExit();
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static JsonObject measure(HttpClient http, HookbusProcess hookbus) throws Exception {
    Process gc = new ProcessBuilder("jcmd", Long.toString(hookbus.pid()), "GC.run")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
    gc.waitFor(30, TimeUnit.SECONDS);
    JsonObject stats = new JsonObject(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + hookbus.bridgePort() + "/stats")).build(), HttpResponse.BodyHandlers.ofString()).body());
    long rss = 0;
    for (String line : Files.readAllLines(Path.of("/proc/" + hookbus.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    return new JsonObject().put("heapMB", Math.round(stats.getLong("heapUsed") / 1e5) / 10.0)
        .put("heapCommittedMB", Math.round(stats.getLong("heapCommitted") / 1e5) / 10.0)
        .put("rssMB", Math.round(rss / 1e5) / 10.0);
  }
}
