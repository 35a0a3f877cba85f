package dev.hookbus.cluster;

import dev.hookbus.bus.Addresses;
import dev.hookbus.support.BridgeClient;
import dev.hookbus.support.Eventually;
import dev.hookbus.support.HookbusProcess;
import dev.hookbus.support.RawWebSocketBridgeClient;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leader is a separate process, killed with SIGKILL under load; two nodes in this JVM carry on. Nothing
 * acknowledged may be missing, seqs stay contiguous, and a subscriber of the dead node resumes elsewhere.
 */
class ClusterFailoverTest {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterFailoverTest.class);

  @Test
  @DisplayName("kill -9 of the leader under load: a new leader serves with every acknowledged event, seqs go on")
  void leaderKilledUnderLoad() throws Exception {
    ClusterFixture fixture = new ClusterFixture();
    HookbusProcess leader = HookbusProcess.launch().jvmOptions(List.of())
        .config(fixture.json(0, 0, 0).encode()).args("-cluster").start();
    Vertx client = Vertx.vertx();
    WebClient http = WebClient.create(client);
    ClusterNode b = null;
    ClusterNode c = null;
    try {
      assertThat(leader.listening()).as(leader.log()).isTrue();
      int leaderBridge = leader.bridgePort();
      // Another JVM: nothing here can observe its election, so ask its /health until it says it leads.
      result(Eventually.until(client, () -> http.get(leader.ingestPort(), "127.0.0.1", "/health").send(),
          health -> health.bodyAsJsonObject().getJsonObject("cluster").getBoolean("isLeader"), Duration.ofSeconds(60)),
          61);
      b = fixture.start(1);
      c = fixture.start(2);
      ClusterNode nodeB = b;
      ClusterFixture.when(nodeB, "three members and a leader", 10_000,
          view -> view.members().size() == 3 && view.leader() != null);
      String oldLeader = nodeB.view().leader();

      BridgeClient watcher = result(RawWebSocketBridgeClient.connect(client, leaderBridge));
      result(watcher.register(Addresses.EVENTS));
      result(watcher.request(Addresses.SYNC, new JsonObject()));

      IngestLoad load = new IngestLoad(client, http, b.ingestPort()).start(4);
      result(load.acknowledged(300), 20);
      long killedAt = System.currentTimeMillis();
      load.watch(killedAt);
      leader.kill9();
      long servingAfterMs = probeUntilServing(client, c.ingestPort()) - killedAt;
      int ackedBeforeKill = load.acked().size();
      result(load.acknowledged(ackedBeforeKill + 300), 30);
      result(load.stop(), 20);
      long failoverMs = load.longestGapSinceWatch();
      String newLeader = nodeB.view().leader();
      LOG.info("failover: a new leader accepted events sent {} ms after kill -9; the load saw no 2xx for {} ms; "
              + "{} acknowledged, {} refused; leader {} -> {}", servingAfterMs, failoverMs, load.acked().size(),
          load.refused(), oldLeader, newLeader);
      assertThat(newLeader).isIn(b.nodeId(), c.nodeId());
      assertThat(servingAfterMs).as("failover time, ms").isLessThan(5_000);

      BridgeClient reader = result(RawWebSocketBridgeClient.connect(client,
          new WebSocketClientOptions().setMaxFrameSize(1 << 22).setMaxMessageSize(1 << 24), c.bridgePort()));
      JsonObject history = allHistory(reader, 0);
      assertThat(history.getBoolean("recovered")).isTrue();
      JsonArray events = history.getJsonArray("events");
      for (int i = 0; i < events.size(); i++) {
        assertThat(events.getJsonObject(i).getLong("seq")).isEqualTo(i + 1L);
      }
      for (Map.Entry<Integer, Long> ack : load.acked().entrySet()) {
        JsonObject envelope = events.getJsonObject((int) (ack.getValue() - 1));
        assertThat(envelope.getJsonObject("payload").getInteger("n")).as("seq %d", ack.getValue())
            .isEqualTo(ack.getKey());
      }

      List<Long> seen = seqs(watcher.bodies(Addresses.EVENTS));
      long last = seen.get(seen.size() - 1);
      JsonObject resumed = allHistory(reader, last);
      List<Long> missed = seqs(resumed.getJsonArray("events").getList().stream()
          .map(e -> e instanceof JsonObject j ? j : new JsonObject((Map<String, Object>) e)).toList());
      List<Long> all = new ArrayList<>(seen);
      all.addAll(missed);
      assertThat(all).first().isEqualTo(seen.get(0));
      for (int i = 1; i < all.size(); i++) {
        assertThat(all.get(i)).isEqualTo(all.get(i - 1) + 1);
      }
      assertThat(all.get(all.size() - 1)).isEqualTo(history.getLong("seq"));
      result(reader.close());

      // A second failover straight after: the last node standing still has everything.
      ClusterNode survivor = newLeader.equals(b.nodeId()) ? c : b;
      result(newLeader.equals(b.nodeId()) ? b.close() : c.close(), 30);
      ClusterFixture.when(survivor, "the last node leads", 10_000, view -> view.describe().getBoolean("isLeader"));
      JsonObject after = allHistory(since -> result(survivor.clusteredVertx().eventBus()
          .<JsonObject>request(Addresses.HISTORY, new JsonObject().put("since", since))).body(), 0);
      assertThat(after.getLong("seq")).isEqualTo(history.getLong("seq"));
      assertThat(after.getJsonArray("events")).hasSize(events.size());
    } finally {
      leader.close();
      result(ClusterFixture.closeAll(b, c).eventually(client::close), 30);
    }
  }

  /**
   * Posts a probe event every 25 ms (each on its own, so one stuck on the dead leader does not hold back the next)
   * and completes with the send time of the first one accepted: when the cluster served again.
   */
  private static long probeUntilServing(Vertx client, int port) {
    // Its own pool, large enough that probes stuck on the dead leader never queue the later ones.
    WebClient http = WebClient.create(client, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(1_000));
    Promise<Long> serving = Promise.promise();
    AtomicInteger probe = new AtomicInteger();
    long timer = client.setPeriodic(25, id -> {
      long sentAt = System.currentTimeMillis();
      JsonObject event = new JsonObject().put("type", "notification")
          .put("payload", new JsonObject().put("sessionId", "probe").put("n", -probe.incrementAndGet()));
      http.post(port, "127.0.0.1", "/api/events").sendJsonObject(event).onSuccess(response -> {
        if (response.statusCode() == 200) {
          serving.tryComplete(sentAt);
        }
      });
    });
    try {
      return result(serving.future(), 20);
    } finally {
      client.cancelTimer(timer);
      http.close();
    }
  }

  private static List<Long> seqs(List<JsonObject> envelopes) {
    return envelopes.stream().map(e -> e.getLong("seq")).toList();
  }

  /** Every page of hookbus.history after {@code since}, as one reply (the pages' events joined). */
  private static JsonObject allHistory(BridgeClient reader, long since) {
    return allHistory(cursor -> result(reader.request(Addresses.HISTORY, new JsonObject().put("since", cursor)))
        .getJsonObject("body"), since);
  }

  private static JsonObject allHistory(java.util.function.LongFunction<JsonObject> ask, long since) {
    JsonArray events = new JsonArray();
    JsonObject page;
    long cursor = since;
    do {
      page = ask.apply(cursor);
      JsonArray got = page.getJsonArray("events", new JsonArray());
      got.forEach(events::add);
      if (!got.isEmpty()) {
        Object lastEvent = got.getValue(got.size() - 1);
        cursor = (lastEvent instanceof JsonObject j ? j : new JsonObject((Map<String, Object>) lastEvent))
            .getLong("seq");
      }
    } while (page.getBoolean("more", false));
    return page.copy().put("events", events);
  }
}
