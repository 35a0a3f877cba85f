package dev.hookbus.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
      System.err.println("usage: src/bench/run.sh [--scenario all|compare|"
          + String.join("|", BenchOptions.SCENARIOS.keySet()) + "[,…]] [--subscribers N] [--rate R (0 = max)] [--duration S] [--warmup S] [--concurrency C]"
          + " [--big-rate R] [--big-bytes B] [--connections N[,M…]] [--route events|claude] [--deflate true|false]"
          + " [--jar path] [--server-opts \"-Xmx… -XX:…\"] [--server-env \"HOOKBUS_X=1 …\"] [--token T]"
          + " [--client java|official] [--server hookbus|peer|both] [--peer-dir path]");
      System.exit(2);
      return;
    }
    int exit = run(runs, System.out, System.err);
    System.exit(exit);
  }

  static int run(List<BenchOptions> runs, PrintStream out, PrintStream progress) throws Exception {
    Path results = Path.of("target", "bench", "results.jsonl");
    Files.createDirectories(results.getParent());
    List<JsonObject> comparisons = new ArrayList<>();
    Vertx vertx = Vertx.vertx();
    try {
      for (BenchOptions o : runs) {
        Map<String, JsonObject> byServer = new LinkedHashMap<>();
        for (String server : o.servers()) {
          progress.printf("%s on %s: starting %s%n", o.scenario(), server, o);
          String load = Files.readString(Path.of("/proc/loadavg")).trim();
          try (Target target = start(server, o)) {
            JsonObject result = new JsonObject()
                .put("scenario", o.scenario())
                .put("at", Instant.now().toString())
                .put("cores", Runtime.getRuntime().availableProcessors())
                .put("generatorOnSameMachine", true)
                .put("loadAvgBefore", load)
                .put("cpuPressureBefore", cpuPressure())
                .put("serverOpts", o.serverOpts())
                .put("serverEnv", o.serverEnv())
                .put("tokens", o.token() != null);
            result.mergeIn(o.idle() ? IdleRun.run(vertx, target, o) : LoadRun.run(vertx, target, o));
            print(result, out, results);
            byServer.put(server, result);
          } catch (IOException | RuntimeException e) {
            progress.printf("%s on %s failed: %s%n", o.scenario(), server, e);
            return 1;
          }
        }
        if (byServer.size() == 2) {
          JsonObject comparison = Comparison.of(o, byServer.get("hookbus"), byServer.get("peer"));
          print(comparison, out, results);
          comparisons.add(comparison);
        }
      }
      if (!comparisons.isEmpty()) {
        String table = Comparison.table(comparisons);
        Files.writeString(Path.of("target", "bench", "compare.md"), table);
        progress.print(table);
      }
      return 0;
    } finally {
      Probe.await(vertx.close(), 60);
    }
  }

  /**
   * The share of the last 10 s in which some runnable task waited for a CPU ({@code /proc/pressure/cpu}, "some
   * avg10", %): on a machine shared with other builds, how much of the two cores this run could not have.
   */
  static double cpuPressure() {
    try {
      String some = Files.readAllLines(Path.of("/proc/pressure/cpu")).get(0);
      return Double.parseDouble(some.replaceAll(".*avg10=([0-9.]+).*", "$1"));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static Target start(String server, BenchOptions o) throws IOException, InterruptedException {
    return server.equals("peer") ? PeerProcess.start(Path.of(o.peerDir()))
        : ServerProcess.start(o.jar(), o.serverOpts(), o.effectiveServerEnv());
  }

  private static void print(JsonObject result, PrintStream out, Path results) throws IOException {
    String line = result.encode();
    out.println(line);
    Files.writeString(results, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
