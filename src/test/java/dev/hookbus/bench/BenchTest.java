package dev.hookbus.bench;

import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Keeps the benchmark from rotting: runs the load generator briefly against an in-process hookbus and checks its
 * correctness counters. No timing is asserted; performance lives in {@code src/bench/run.sh}.
 */
class BenchTest {
  private Vertx vertx;
  private Vertx generator;
  private Target target;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    generator = Vertx.vertx();
    target = target(TestServer.start(vertx));
  }

  private static Target target(TestServer server) {
    return new Target() {
      public int ingestPort() {
        return server.ingestPort();
      }

      public int bridgePort() {
        return server.bridgePort();
      }

      public long pid() {
        return ProcessHandle.current().pid();
      }
    };
  }

  @AfterEach
  void stop() throws Exception {
    result(generator.close());
    result(vertx.close());
  }

  @Test
  @DisplayName("a short load run delivers every accepted event to every subscriber once, in order")
  void loadRun() throws Exception {
    BenchOptions options = BenchOptions.parse(new String[] {"--subscribers", "3", "--rate", "300",
        "--duration", "1", "--warmup", "0.5", "--concurrency", "4", "--big-rate", "2", "--big-bytes", "20000"}).get(0);

    JsonObject result = LoadRun.run(generator, target, options);

    assertThat(result.getLong("accepted")).isEqualTo(result.getLong("sent")).isGreaterThan(100);
    assertThat(result.getLong("sentBig")).isPositive();
    assertThat(result.getLong("deliveriesExpected")).isEqualTo(3 * result.getLong("accepted"));
    assertThat(result.getLong("deliveriesReceived")).isEqualTo(result.getLong("deliveriesExpected"));
    for (String counter : new String[] {"failed", "lost", "duplicated", "outOfOrderBySeq", "outOfOrderByGen",
        "seqGaps", "errorFrames", "closedSockets"}) {
      assertThat(result.getLong(counter)).as(counter).isZero();
    }
    assertThat(result.getJsonObject("e2eMs").getLong("count")).isPositive();
    assertThat(result.getJsonObject("e2eBigMs").getLong("count")).isPositive();
    // The JVM's own thread names (jcmd), not /proc's 15 characters.
    assertThat(result.getJsonObject("serverCpuSplit").getJsonArray("threads").stream()
        .map(t -> ((JsonObject) t).getString("name"))).anyMatch(name -> name.startsWith("vert.x-eventloop-thread-"));
  }

  @Test
  @DisplayName("--token runs against hookbus with ingest and viewer tokens on, and still misses nothing")
  void withTokens() throws Exception {
    Vertx own = Vertx.vertx();
    Target guarded = target(TestServer.start(own, new JsonObject()
        .put("ingest", new JsonObject().put("tokens", new io.vertx.core.json.JsonArray().add("bench-secret")))
        .put("bridge", new JsonObject().put("tokens", new io.vertx.core.json.JsonArray().add(new JsonObject()
            .put("token", "bench-secret").put("addresses", new io.vertx.core.json.JsonArray().add("hookbus.*")))))));
    BenchOptions options = BenchOptions.parse(new String[] {"--subscribers", "2", "--rate", "200",
        "--duration", "1", "--warmup", "0.3", "--token", "bench-secret"}).get(0);
    assertThat(options.effectiveServerEnv()).contains("HOOKBUS_INGEST_TOKENS", "HOOKBUS_BRIDGE_TOKENS");
    try {
      JsonObject result = LoadRun.run(generator, guarded, options);
      assertThat(result.getLong("accepted")).isEqualTo(result.getLong("sent")).isPositive();
      assertThat(result.getLong("deliveriesReceived")).isEqualTo(result.getLong("deliveriesExpected"));
      assertThat(result.getLong("lost")).isZero();
    } finally {
      result(own.close());
    }
  }

  @Test
  @DisplayName("with several ingest and bridge instances every subscriber still gets everything once, in order")
  void severalInstances() throws Exception {
    // Its own Vert.x: two hookbus in one Vert.x would share its event bus (two state actors).
    Vertx own = Vertx.vertx();
    Target several = target(TestServer.start(own, new JsonObject()
        .put("ingest", new JsonObject().put("instances", 2))
        .put("bridge", new JsonObject().put("instances", 2))));
    BenchOptions options = BenchOptions.parse(new String[] {"--subscribers", "6", "--rate", "300",
        "--duration", "0.5", "--warmup", "0.2", "--concurrency", "4"}).get(0);

    JsonObject result;
    try {
      result = LoadRun.run(generator, several, options);
    } finally {
      result(own.close());
    }

    assertThat(result.getLong("deliveriesReceived")).isEqualTo(result.getLong("deliveriesExpected")).isPositive();
    assertThat(result.getLong("lost") + result.getLong("duplicated") + result.getLong("outOfOrderBySeq")
        + result.getLong("outOfOrderByGen") + result.getLong("failed")).isZero();
  }

  @Test
  @DisplayName("raw Claude Code hooks on /api/hooks/claude are counted the same way")
  void claudeRoute() throws Exception {
    BenchOptions options = BenchOptions.parse(new String[] {"--subscribers", "2", "--rate", "200",
        "--duration", "0.5", "--warmup", "0.2", "--concurrency", "2", "--route", "claude"}).get(0);

    JsonObject result = LoadRun.run(generator, target, options);

    assertThat(result.getLong("accepted")).isEqualTo(result.getLong("sent")).isPositive();
    assertThat(result.getLong("deliveriesReceived")).isEqualTo(result.getLong("deliveriesExpected"));
    assertThat(result.getLong("lost") + result.getLong("duplicated") + result.getLong("outOfOrderBySeq")
        + result.getLong("outOfOrderByGen")).isZero();
  }

  @Test
  @DisplayName("the idle mode opens and keeps its connections and measures /health")
  void idleRun() throws Exception {
    BenchOptions options = BenchOptions.parse(new String[] {"--connections", "20", "--duration", "1"}).get(0);

    JsonObject result = IdleRun.run(generator, target, options);

    assertThat(result.getInteger("connectedAtEnd")).isEqualTo(20);
    assertThat(result.getLong("closedByServer")).isZero();
    assertThat(result.getJsonObject("bridgeHealthMs").getLong("count")).isEqualTo(200);
  }

  @Test
  @DisplayName("every named scenario parses")
  void scenarios() throws Exception {
    List<BenchOptions> all = BenchOptions.parse(new String[] {"--scenario", "all", "--duration", "5"});
    List<BenchOptions> compare = BenchOptions.parse(new String[] {"--scenario", "compare"});
    assertThat(all.size() + compare.size()).isEqualTo(BenchOptions.SCENARIOS.size());
    assertThat(all).allSatisfy(o -> {
      assertThat(o.durationSeconds()).isEqualTo(5);
      assertThat(o.servers()).containsExactly("hookbus");
      assertThat(o.client()).isEqualTo("java");
    });
    assertThat(compare).allSatisfy(o -> {
      assertThat(o.servers()).containsExactly("hookbus", "peer");
      assertThat(o.client()).isEqualTo("official");
    });
    assertThat(compare).filteredOn(BenchOptions::idle).singleElement()
        .satisfies(o -> assertThat(o.connectionSteps()).containsExactly(2000, 10000));
  }

  @Test
  @DisplayName("the official npm client in Node (--client official) counts the same way, when node is installed")
  void officialClient() throws Exception {
    assumeTrue(NodeSubscribers.available(), "node is not installed");
    BenchOptions options = BenchOptions.parse(new String[] {"--subscribers", "3", "--rate", "300",
        "--duration", "1", "--warmup", "0.3", "--concurrency", "4", "--client", "official"}).get(0);

    JsonObject result = LoadRun.run(generator, target, options);

    assertThat(result.getString("client")).isEqualTo("official");
    assertThat(result.getLong("accepted")).isEqualTo(result.getLong("sent")).isGreaterThan(100);
    assertThat(result.getLong("deliveriesReceived")).isEqualTo(result.getLong("deliveriesExpected"))
        .isEqualTo(3 * result.getLong("accepted"));
    for (String counter : new String[] {"failed", "lost", "duplicated", "outOfOrderBySeq", "outOfOrderByGen",
        "seqGaps", "errorFrames", "closedSockets"}) {
      assertThat(result.getLong(counter)).as(counter).isZero();
    }
    assertThat(result.getJsonObject("e2eMs").getLong("count")).isPositive();
  }

  @Test
  @DisplayName("the seed design's server (--server peer) is driven with socket.io-client and counted the same way")
  void peer() throws Exception {
    BenchOptions options = BenchOptions.parse(new String[] {"--subscribers", "3", "--rate", "300",
        "--duration", "1", "--warmup", "0.3", "--concurrency", "4", "--server", "peer"}).get(0);
    assumeTrue(NodeSubscribers.available(), "node is not installed");
    assumeTrue(Files.isRegularFile(Path.of(options.peerDir(), "package-lock.json")), "no peer at " + options.peerDir());

    JsonObject result;
    try (Target peer = PeerProcess.start(Path.of(options.peerDir()))) {
      result = LoadRun.run(generator, peer, options);
    }

    assertThat(result.getString("server")).isEqualTo("peer");
    assertThat(result.getLong("accepted")).isEqualTo(result.getLong("sent")).isGreaterThan(100);
    assertThat(result.getLong("deliveriesReceived")).isEqualTo(3 * result.getLong("accepted"));
    assertThat(result.getLong("lost") + result.getLong("duplicated") + result.getLong("outOfOrderByGen")
        + result.getLong("failed") + result.getLong("closedSockets")).isZero();
    assertThat(result.getDouble("serverCpuPerDeliveryUs")).isPositive();
    // Bun's threads, user and kernel time of the same span: they add up to what the process used.
    JsonObject split = result.getJsonObject("serverCpuSplit");
    assertThat(split.getDouble("userS") + split.getDouble("systemS")).isPositive();
    assertThat(split.getJsonArray("threads")).isNotEmpty();
    assertThat(split.getJsonArray("threads").getJsonObject(0).getString("name")).isNotBlank();
  }

  @Test
  @DisplayName("the idle mode opens official clients in steps and reads the RSS at each")
  void officialIdleSteps() throws Exception {
    assumeTrue(NodeSubscribers.available(), "node is not installed");
    BenchOptions options = BenchOptions.parse(new String[] {"--connections", "5,15", "--duration", "0.5",
        "--client", "official"}).get(0);

    JsonObject result = IdleRun.run(generator, target, options);

    assertThat(result.getInteger("connectedAtEnd")).isEqualTo(15);
    assertThat(result.getLong("closedByServer")).isZero();
    assertThat(result.getJsonArray("steps")).hasSize(2);
  }
}
