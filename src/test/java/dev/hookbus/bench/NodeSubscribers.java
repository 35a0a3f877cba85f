package dev.hookbus.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Subscribers the way browsers are: {@code src/bench/node/subscribers.mjs} in one or a few Node processes, with the
 * official {@code @vertx/eventbus-bridge-client.js} over {@code sockjs-client} (WebSocket transport) against
 * hookbus, or {@code socket.io-client} against the seed design's server. Each process reports readiness, progress
 * and, at the end, its counters and a sparse latency histogram as JSON lines on stdout.
 */
final class NodeSubscribers implements Subscribers {
  private static final Logger log = LoggerFactory.getLogger(NodeSubscribers.class);
  static final Path DIR = Path.of("src", "bench", "node");
  /** One Node event loop per this many subscribers, at most {@link #MAX_PROCESSES}: a core each under load. */
  private static final int PER_PROCESS = 500;
  private static final int MAX_PROCESSES = 4;
  private static final long READY_SECONDS = 600;

  private final List<Host> hosts;
  private double loopDelayP99Ms;
  private double loopDelayMaxMs;

  private NodeSubscribers(List<Host> hosts) {
    this.hosts = hosts;
  }

  /** Whether {@code node} runs here (the test suite skips the Node part when it does not). */
  static boolean available() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@code npm ci} in {@code src/bench/node} unless its {@code node_modules} is there ({@code run.sh} does it too). */
  static synchronized void install() throws IOException, InterruptedException {
    if (Files.isDirectory(DIR.resolve("node_modules"))) {
      return;
    }
    Npm.ci(DIR, Path.of("target", "bench", "npm-bench-node.log"));
  }

  /**
   * Starts the processes and returns once every subscriber is connected (for hookbus: and has sent its register).
   *
   * @param server {@code hookbus} or {@code peer}
   * @param query  appended to the hookbus URL ({@code ?token=…}), or empty
   */
  static NodeSubscribers start(String server, int port, int count, String address, String query)
      throws IOException, InterruptedException {
    install();
    int processes = Math.max(1, Math.min(MAX_PROCESSES, (count + PER_PROCESS - 1) / PER_PROCESS));
    Path logs = Path.of("target", "bench");
    Files.createDirectories(logs);
    List<Host> hosts = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      int share = count / processes + (i < count % processes ? 1 : 0);
      JsonObject args = new JsonObject().put("server", server).put("url", "http://127.0.0.1:" + port)
          .put("count", share).put("address", address).put("query", query);
      hosts.add(new Host(args, logs.resolve("node-subscribers-" + i + ".log")));
    }
    NodeSubscribers subscribers = new NodeSubscribers(hosts);
    try {
      for (Host host : hosts) {
        host.ready.get(READY_SECONDS, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      subscribers.close();
      throw new IllegalStateException(count + " Node subscribers on " + server + " did not connect: " + e, e);
    }
    return subscribers;
  }

  @Override
  public long received() {
    return hosts.stream().mapToLong(h -> h.received).sum();
  }

  @Override
  public int closed() {
    return hosts.stream().mapToInt(h -> h.closed).sum();
  }

  @Override
  public void addTo(Deliveries.Totals totals, Deliveries deliveries, BitSet accepted) {
    String command = new JsonObject().put("cmd", "summary")
        .put("accepted", Base64.getEncoder().encodeToString(accepted.toByteArray())).encode() + "\n";
    hosts.forEach(h -> h.send(command));
    for (Host host : hosts) {
      JsonObject s = Probe.await(io.vertx.core.Future.fromCompletionStage(host.summary), 120);
      totals.received += s.getLong("received");
      totals.lost += s.getLong("lost");
      totals.duplicated += s.getLong("duplicated");
      totals.outOfOrderBySeq += s.getLong("outOfOrderBySeq");
      totals.outOfOrderByGen += s.getLong("outOfOrderByGen");
      totals.seqGaps += s.getLong("seqGaps");
      totals.errorFrames += s.getLong("errorFrames");
      totals.closedSockets += s.getInteger("closedSockets");
      JsonObject delay = s.getJsonObject("loopDelayMs");
      loopDelayP99Ms = Math.max(loopDelayP99Ms, delay.getDouble("p99"));
      loopDelayMaxMs = Math.max(loopDelayMaxMs, delay.getDouble("max"));
      record(deliveries, false, s.getJsonArray("latencyUs"));
      record(deliveries, true, s.getJsonArray("latencyBigUs"));
    }
  }

  /** The Node processes and their event-loop delay while the load ran (the worst process's). */
  @Override
  public JsonObject hostReport() {
    return new JsonObject().put("nodeProcesses", hosts.size())
        .put("nodeLoopDelayMs", new JsonObject().put("p99", loopDelayP99Ms).put("max", loopDelayMaxMs));
  }

  private static void record(Deliveries deliveries, boolean big, JsonArray sparse) {
    for (int i = 0; i < sparse.size(); i++) {
      JsonArray bucket = sparse.getJsonArray(i);
      deliveries.record(big, bucket.getLong(0), bucket.getLong(1));
    }
  }

  @Override
  public double extraCpuSeconds() {
    return hosts.stream().mapToDouble(h -> Probe.cpuSeconds(h.process.pid())).sum();
  }

  @Override
  public void close() {
    for (Host host : hosts) {
      host.closing = true;
      host.process.destroy();
    }
    for (Host host : hosts) {
      try {
        if (!host.process.waitFor(30, TimeUnit.SECONDS)) {
          host.process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        host.process.destroyForcibly();
      }
    }
  }

  /** One Node process and what its stdout said. */
  private static final class Host {
    final Process process;
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final CompletableFuture<JsonObject> summary = new CompletableFuture<>();
    volatile long received;
    volatile int closed;
    volatile boolean closing;

    Host(JsonObject args, Path logFile) throws IOException {
      process = new ProcessBuilder("node", DIR.resolve("subscribers.mjs").toString(), args.encode())
          .redirectError(logFile.toFile()).start();
      Thread reader = new Thread(this::read, "node-subscribers-" + process.pid());
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          JsonObject message = new JsonObject(line);
          switch (message.getString("event", "")) {
            case "ready" -> ready.complete(null);
            case "progress" -> {
              received = message.getLong("received");
              closed = message.getInteger("closed");
            }
            case "summary" -> summary.complete(message);
            case "failed" -> ready.completeExceptionally(new IllegalStateException(message.getString("error")));
            default -> log.warn("unexpected line from Node subscribers: {}", line);
          }
        }
      } catch (IOException | RuntimeException e) {
        if (!closing) {
          log.warn("reading Node subscribers failed: {}", e.toString());
        }
      }
      IllegalStateException exited = new IllegalStateException("the Node subscriber process exited");
      ready.completeExceptionally(exited);
      summary.completeExceptionally(exited);
    }

    void send(String line) {
      try {
        OutputStream in = process.getOutputStream();
        in.write(line.getBytes(StandardCharsets.UTF_8));
        in.flush();
      } catch (IOException e) {
        summary.completeExceptionally(e);
      }
    }
  }
}
