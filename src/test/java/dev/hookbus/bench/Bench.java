package dev.hookbus.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * The benchmark's entry point ({@code src/bench/run.sh}): for each scenario, starts hookbus from its jar as its
 * own process, drives it, stops it, and prints one JSON line. Lines are also appended to
 * {@code target/bench/results.jsonl}.
 */
public final class Bench {
  private Bench() {
  }

  public static void main(String[] args) throws Exception {
    List<BenchOptions> runs;
    try {
      runs = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println("usage: src/bench/run.sh [--scenario all|" + String.join("|", BenchOptions.SCENARIOS.keySet())
          + "[,…]] [--subscribers N] [--rate R (0 = max)] [--duration S] [--warmup S] [--concurrency C]"
          + " [--big-rate R] [--big-bytes B] [--connections N] [--route events|claude] [--deflate true|false]"
          + " [--jar path] [--server-opts \"-Xmx… -XX:…\"] [--server-env \"HOOKBUS_X=1 …\"] [--token T]");
      System.exit(2);
      return;
    }
    int exit = run(runs, System.out, System.err);
    System.exit(exit);
  }

  static int run(List<BenchOptions> runs, PrintStream out, PrintStream progress) throws Exception {
    Path results = Path.of("target", "bench", "results.jsonl");
    Files.createDirectories(results.getParent());
    Vertx vertx = Vertx.vertx();
    try {
      for (BenchOptions o : runs) {
        progress.printf("%s: starting %s%n", o.scenario(), o);
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        try (ServerProcess server = ServerProcess.start(o.jar(), o.serverOpts(), o.effectiveServerEnv())) {
          JsonObject result = new JsonObject()
              .put("scenario", o.scenario())
              .put("at", Instant.now().toString())
              .put("cores", Runtime.getRuntime().availableProcessors())
              .put("generatorOnSameMachine", true)
              .put("loadAvgBefore", load)
              .put("serverOpts", o.serverOpts())
              .put("serverEnv", o.serverEnv())
              .put("tokens", o.token() != null);
          result.mergeIn(o.idle() ? IdleRun.run(vertx, server, o) : LoadRun.run(vertx, server, o));
          String line = result.encode();
          out.println(line);
          Files.writeString(results, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
          progress.printf("%s failed: %s%n", o.scenario(), e);
          return 1;
        }
      }
      return 0;
    } finally {
      Probe.await(vertx.close(), 60);
    }
  }
}
