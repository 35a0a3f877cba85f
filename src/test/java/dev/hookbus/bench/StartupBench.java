package dev.hookbus.bench;

import dev.hookbus.config.AppConfig;
import dev.hookbus.state.JournalFixture;
import dev.hookbus.support.HookbusProcess;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * How long hookbus takes from its start command ({@code bin/hookbus}, as the README starts it) to {@code /health/ready}
 * on a journal of {@code --events} events
 * (Claude Code hook bodies, see {@link JournalFixture}) whose checkpoint is {@code --tail} events old; then the same
 * journal without its checkpoint (a whole replay), and an empty store. {@code --keep dir} keeps the journal there. {@code src/bench/startup.sh --events 1000000}.
 * Prints one JSON line.
 */
public final class StartupBench {
  private StartupBench() {
  }

  public static void main(String[] args) throws Exception {
    long events = 1_000_000;
    long tail = 9_999;
    Path launcher = Path.of("bin", "hookbus");
    String jvm = "";
    Path keep = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--events" -> events = Long.parseLong(args[i + 1]);
        case "--tail" -> tail = Long.parseLong(args[i + 1]);
        case "--launcher" -> launcher = Path.of(args[i + 1]);
        case "--server-opts" -> jvm = args[i + 1];
        case "--keep" -> keep = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = keep == null ? Files.createTempDirectory("hookbus-startup") : Files.createDirectories(keep);
    try {
      Path store = dir.resolve("data");
      AppConfig config = AppConfig.defaults().withStorePath(store.toString());
      long written = System.nanoTime();
      long lastSeq = JournalFixture.write(config.store(), config.sessions(), events, 20, events - tail);
      double writeS = (System.nanoTime() - written) / 1e9;
      long journalBytes;
      try (Stream<Path> files = Files.list(store)) {
        journalBytes = files.mapToLong(p -> p.toFile().length()).sum();
      }
      JsonObject result = new JsonObject().put("scenario", "startup").put("events", lastSeq)
          .put("journalMB", Math.round(journalBytes / 1e5) / 10.0).put("checkpointTail", tail)
          .put("writeSeconds", Math.round(writeS * 10) / 10.0).put("serverOpts", jvm);
      // The launcher makes its class archive on its first start after a build: not part of what is timed.
      new ProcessBuilder(launcher.toString(), "--version").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
      result.put("withCheckpointMs", timeToReady(launcher, jvm, dir, store));
      Path checkpoint = store.resolve("checkpoint");
      Files.move(checkpoint, dir.resolve("checkpoint.saved"));
      result.put("wholeReplayMs", timeToReady(launcher, jvm, dir, store));
      Files.move(dir.resolve("checkpoint.saved"), checkpoint);
      result.put("emptyStoreMs", timeToReady(launcher, jvm, dir, dir.resolve("empty")));
      System.out.println(result.encode());
    } finally {
      if (keep == null) {
        try (Stream<Path> walk = Files.walk(dir)) {
          walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  /** From the process start to the first 200 of {@code /health/ready}; the process is stopped with SIGTERM after. */
  private static long timeToReady(Path launcher, String jvm, Path parent, Path store) throws Exception {
    String config = new JsonObject()
        .put("ingest", new JsonObject().put("port", 0)).put("bridge", new JsonObject().put("port", 0))
        .put("store", new JsonObject().put("path", store.toString())).encode();
    long started = System.nanoTime();
    try (HookbusProcess hookbus = HookbusProcess.launch().launcher(launcher).jvmOptions(jvm).under(parent).config(config)
        .start()) {
      if (!hookbus.listening()) {
        throw new IllegalStateException("hookbus did not start: " + hookbus.log());
      }
      HttpClient http = HttpClient.newHttpClient();
      URI ready = URI.create("http://127.0.0.1:" + hookbus.ingestPort() + "/health/ready");
      while (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode()
          != 200) {
        Thread.onSpinWait();
      }
      long ms = (System.nanoTime() - started) / 1_000_000;
      hookbus.sigterm();
      hookbus.waitForExit();
      return ms;
    }
  }
}
