package dev.hookbus.cluster;

import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static dev.hookbus.support.Await.result;

/**
 * Not part of the suite (no timed assertions): ingest throughput, single events, 16 concurrent posters, through
 * the leader and through a follower of a three-node cluster in one JVM, next to a single non-clustered node.
 * Run with {@code mvn -B -q verify -Dtest=ClusterThroughputBench -Dhookbus.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false}; results in target/surefire-reports/*ClusterThroughputBench-output.txt.
 */
@EnabledIfSystemProperty(named = "hookbus.bench", matches = "true")
class ClusterThroughputBench {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterThroughputBench.class);
  private static final int EVENTS = 20_000;
  private static final int POSTERS = 16;

  @Test
  void throughput() {
    Vertx client = Vertx.vertx();
    WebClient http = WebClient.create(client, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(POSTERS));
    Vertx single = Vertx.vertx();
    TestServer alone = TestServer.start(single);
    measure("single node, not clustered", client, http, alone.ingestPort());
    result(single.close());

    ClusterFixture fixture = new ClusterFixture();
    ClusterNode[] nodes = new ClusterNode[ClusterFixture.NODES];
    try {
      nodes[0] = fixture.start(0);
      ClusterFixture.when(nodes[0], "node 1 leads", 10_000, view -> view.describe().getBoolean("isLeader"));
      nodes[1] = fixture.start(1);
      nodes[2] = fixture.start(2);
      ClusterFixture.when(nodes[2], "3 members", 10_000, view -> view.members().size() == 3);
      for (int round = 1; round <= 2; round++) {
        measure("round " + round + ", cluster of 3, through the leader", client, http, nodes[0].ingestPort());
        measure("round " + round + ", cluster of 3, through a follower", client, http, nodes[1].ingestPort());
      }
    } finally {
      result(ClusterFixture.closeAll(nodes).eventually(client::close), 30);
    }
  }

  private static void measure(String what, Vertx client, WebClient http, int port) {
    IngestLoad warmUp = new IngestLoad(client, http, port).start(POSTERS);
    result(warmUp.acknowledged(2_000), 60);
    result(warmUp.stop());
    long started = System.nanoTime();
    IngestLoad load = new IngestLoad(client, http, port).start(POSTERS);
    result(load.acknowledged(EVENTS), 120);
    double seconds = (System.nanoTime() - started) / 1e9;
    result(load.stop());
    LOG.info("BENCH {}: {} events in {} s = {} events/s ({} refused)", what, load.acked().size(),
        String.format("%.2f", seconds), Math.round(load.acked().size() / seconds), load.refused());
  }
}
