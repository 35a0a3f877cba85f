package dev.hookbus.cluster;

import com.hazelcast.multimap.MultiMap;
import dev.hookbus.bus.Addresses;
import dev.hookbus.otlp.OtlpBodies;
import dev.hookbus.support.BridgeClient;
import dev.hookbus.support.Eventually;
import dev.hookbus.support.PermissionRequests;
import dev.hookbus.support.RawWebSocketBridgeClient;
import dev.hookbus.support.SockJsWebSocketBridgeClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** Three clustered nodes in one JVM (three Hazelcast members on loopback, three event buses, three bridges). */
class ClusterTest {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterTest.class);
  private static final ClusterFixture FIXTURE = new ClusterFixture();
  private static ClusterNode[] nodes;
  private static String leader;
  private static Vertx client;
  private static WebClient http;

  @BeforeAll
  static void startCluster() {
    nodes = new ClusterNode[ClusterFixture.NODES];
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = FIXTURE.start(i);
    }
    // The CP subsystem forms once the three are in; then one of them takes the lock.
    ClusterFixture.when(nodes[0], "a leader", 30_000, view -> view.members().size() == 3 && view.leader() != null);
    leader = nodes[0].view().leader();
    for (ClusterNode node : nodes) {
      ClusterFixture.when(node, "every node sees 3 members and the leader", 10_000,
          view -> view.members().size() == 3 && leader.equals(view.leader()));
    }
    client = Vertx.vertx();
    http = WebClient.create(client);
  }

  @AfterAll
  static void stopCluster() {
    result(ClusterFixture.closeAll(nodes).eventually(client::close), 60);
  }

  private static Future<HttpResponse<Buffer>> post(ClusterNode node, JsonObject event) {
    return http.post(node.ingestPort(), "127.0.0.1", "/api/events").sendJsonObject(event);
  }

  private static JsonObject event(String sessionId, int n) {
    return new JsonObject().put("type", "tool:pre")
        .put("payload", new JsonObject().put("sessionId", sessionId).put("toolName", "Bash").put("n", n));
  }

  private static BridgeClient connect(ClusterNode node, String... addresses) {
    BridgeClient bridge = result(RawWebSocketBridgeClient.connect(client, node.bridgePort()));
    for (String address : addresses) {
      result(bridge.register(address));
    }
    // The reply proves the bridge handled the registrations before it.
    result(bridge.request(Addresses.SYNC, new JsonObject()));
    return bridge;
  }

  @Test
  @DisplayName("usage posted as OTLP on one node is in GET /api/usage on every node (the leader's rollup)")
  void usageOnEveryNode() {
    String body = OtlpBodies.logsJson(List.of(OtlpBodies.event("api_request",
        "session.id", "cluster-usage", "model", "claude-sonnet-4-5", "cost_usd", "0.25")));
    HttpResponse<Buffer> posted = result(http.post(nodes[1].ingestPort(), "127.0.0.1", "/v1/logs")
        .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body)));
    assertThat(posted.statusCode()).as(posted.bodyAsString()).isEqualTo(200);
    for (ClusterNode node : nodes) {
      HttpResponse<Buffer> usage = result(Eventually.until(client,
          () -> http.get(node.ingestPort(), "127.0.0.1", "/api/usage?by=session").send(),
          r -> r.statusCode() == 200 && r.bodyAsString().contains("cluster-usage"), Duration.ofSeconds(20)));
      JsonObject row = usage.bodyAsJsonObject().getJsonArray("rows").stream().map(JsonObject.class::cast)
          .filter(r -> "cluster-usage".equals(r.getString("session"))).findFirst().orElseThrow();
      assertThat(row.getDouble("costUsd")).isEqualTo(0.25);
    }
  }

  @Test
  @DisplayName("a hook POST on node 1 reaches a subscriber on node 3; health and stats name the leader")
  void postOnOneNodeReachesAnother() {
    BridgeClient subscriber = connect(nodes[2], Addresses.EVENTS, Addresses.session("cross"));
    HttpResponse<Buffer> response = result(post(nodes[1], event("cross", 1)));
    assertThat(response.statusCode()).isEqualTo(200);
    long seq = response.bodyAsJsonObject().getLong("seq");

    List<JsonObject> got = result(subscriber.await(Addresses.session("cross"),
        bodies -> bodies.stream().anyMatch(b -> b.getLong("seq") == seq)));
    assertThat(got).anyMatch(b -> b.getLong("seq") == seq && b.getJsonObject("payload").getInteger("n") == 1);
    assertThat(result(subscriber.await(Addresses.EVENTS, b -> b.stream().anyMatch(e -> e.getLong("seq") == seq))))
        .isNotEmpty();

    JsonObject health = result(http.get(nodes[1].ingestPort(), "127.0.0.1", "/health").send()).bodyAsJsonObject();
    assertThat(health.getJsonObject("cluster").getString("leader")).isEqualTo(leader);
    assertThat(health.getJsonObject("cluster").getInteger("members")).isEqualTo(3);
    JsonObject stats = result(http.get(nodes[2].bridgePort(), "127.0.0.1", "/stats").send()).bodyAsJsonObject();
    assertThat(stats.getJsonObject("cluster").getString("leader")).isEqualTo(leader);
    assertThat(stats.getLong("eventsPublished")).isGreaterThanOrEqualTo(seq);
    ClusterNode follower = java.util.Arrays.stream(nodes).filter(n -> !n.nodeId().equals(leader)).findFirst()
        .orElseThrow();
    JsonObject bridgeHealth = result(http.get(follower.bridgePort(), "127.0.0.1", "/health").send())
        .bodyAsJsonObject();
    assertThat(bridgeHealth.getJsonObject("cluster").getBoolean("isLeader")).isFalse();
    JsonObject full = result(http.get(nodes[2].ingestPort(), "127.0.0.1", "/api/events/" + seq).send())
        .bodyAsJsonObject();
    assertThat(full.getLong("seq")).isEqualTo(seq);
    result(subscriber.close());
  }

  @Test
  @DisplayName("1 000 browser subscriptions over three nodes leave one subscription entry per address per node")
  void subscriptionMapStaysSmall() {
    List<BridgeClient> browsers = new ArrayList<>();
    int subscriptions = 0;
    for (int b = 0; b < 30; b++) {
      BridgeClient browser = result(RawWebSocketBridgeClient.connect(client, nodes[b % 3].bridgePort()));
      browsers.add(browser);
      result(browser.register(Addresses.EVENTS));
      subscriptions++;
      for (int s = 0; s < 33 && subscriptions < 1_000; s++) {
        result(browser.register(Addresses.session("fan-" + s)));
        subscriptions++;
      }
      result(browser.request(Addresses.SYNC, new JsonObject()));
    }
    assertThat(subscriptions).isEqualTo(1_000);
    BridgeClient watcher = browsers.get(4);
    HttpResponse<Buffer> posted = result(post(nodes[0], event("fan-7", 7)));
    long seq = posted.bodyAsJsonObject().getLong("seq");
    result(watcher.await(Addresses.session("fan-7"), b -> b.stream().anyMatch(e -> e.getLong("seq") == seq)));

    MultiMap<Object, Object> subs = nodes[0].clusterManager().getHazelcastInstance().getMultiMap("__vertx.subs");
    Map<String, Integer> perAddress = new TreeMap<>();
    subs.keySet().forEach(address -> perAddress.put(String.valueOf(address), subs.valueCount(address)));
    LOG.info("__vertx.subs with {} browser subscriptions: {} entries: {}", subscriptions, subs.size(), perAddress);
    assertThat(perAddress.keySet()).noneMatch(address -> address.equals(Addresses.EVENTS)
        || address.startsWith(Addresses.SESSIONS_PREFIX) || address.startsWith(Addresses.AGENTS_PREFIX));
    // The state actor's addresses are each node's relay's, one entry per node, registered once at start.
    assertThat(perAddress).containsEntry(Addresses.onNode(Addresses.SYNC, leader), 1)
        .containsEntry(Addresses.onNode(Addresses.HISTORY, leader), 1)
        .containsEntry(Addresses.onNode(Addresses.STATE_APPLY, leader), 1)
        .doesNotContainKey(Addresses.STATE_APPLY);
    assertThat(perAddress.get(Addresses.FANOUT)).isEqualTo(3);
    assertThat(perAddress.values()).allMatch(count -> count <= 3);
    // A fixed set per node (its relay's addresses, the fan-out, the replica: 14 today), none per browser subscription.
    assertThat(subs.size()).isLessThanOrEqualTo(15 * 3);
    browsers.forEach(b -> result(b.close()));
  }

  @Test
  @DisplayName("a browser that reconnects to another node resumes from its last seq with exactly what it missed")
  void resumeOnAnotherNode() {
    BridgeClient first = connect(nodes[0], Addresses.session("resume"));
    long last = result(post(nodes[2], event("resume", 1))).bodyAsJsonObject().getLong("seq");
    result(first.await(Addresses.session("resume"), b -> b.stream().anyMatch(e -> e.getLong("seq") == last)));
    result(first.close());

    List<Long> missed = new ArrayList<>();
    for (int n = 2; n <= 6; n++) {
      missed.add(result(post(nodes[n % 3], event("resume", n))).bodyAsJsonObject().getLong("seq"));
    }
    BridgeClient second = connect(nodes[1]);
    JsonObject history = result(second.request(Addresses.HISTORY, new JsonObject().put("since", last)))
        .getJsonObject("body");
    assertThat(history.getBoolean("recovered")).isTrue();
    JsonArray events = history.getJsonArray("events");
    List<Long> seqs = new ArrayList<>();
    events.forEach(e -> seqs.add(((JsonObject) e).getLong("seq")));
    assertThat(seqs.get(0)).isEqualTo(last + 1);
    assertThat(seqs).containsSubsequence(missed);
    for (int i = 1; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
    }
    result(second.close());
  }

  @Test
  @DisplayName("a viewer on the leader's bridge holds and decides a hook posted to a follower's ingest")
  void decideAcrossNodes() {
    ClusterNode onLeader = java.util.Arrays.stream(nodes).filter(n -> n.nodeId().equals(leader)).findFirst()
        .orElseThrow();
    ClusterNode follower = java.util.Arrays.stream(nodes).filter(n -> !n.nodeId().equals(leader)).findFirst()
        .orElseThrow();
    BridgeClient viewer = result(SockJsWebSocketBridgeClient.connect(client, onLeader.bridgePort(), ""));
    result(viewer.register(Addresses.APPROVALS));
    result(Eventually.until(client, () -> http.get(follower.ingestPort(), "127.0.0.1", "/api/approvals").send(),
        r -> r.statusCode() == 200 && r.bodyAsJsonObject().getInteger("deciders") >= 1, Duration.ofSeconds(15)));

    Future<HttpResponse<Buffer>> held = http.post(follower.ingestPort(), "127.0.0.1", "/api/hooks/claude")
        .sendJsonObject(PermissionRequests.bash("s-cluster"));
    String id = result(viewer.awaitCount(Addresses.APPROVALS, 1)).get(0).getJsonObject("payload").getString("id");
    JsonObject reply = result(viewer.request(Addresses.APPROVALS_DECIDE,
        new JsonObject().put("id", id).put("behavior", "deny").put("message", "from the other node")));
    assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("rec");
    assertThat(result(held, 15).bodyAsJsonObject().getJsonObject("hookSpecificOutput").getJsonObject("decision")
        .getString("message")).isEqualTo("from the other node");
    HttpResponse<Buffer> again = result(http.post(follower.ingestPort(), "127.0.0.1", "/api/approvals/" + id)
        .sendJsonObject(new JsonObject().put("behavior", "allow")));
    assertThat(again.statusCode()).isEqualTo(409);
    result(viewer.close());
  }

  @Test
  @DisplayName("the leader's backpressure counts the fan-out of every node's bridge, not only its own")
  void fanoutOfEveryNodeCounts() {
    for (ClusterNode node : nodes) {
      assertThat(result(post(node, event("s-fanout", 1))).statusCode()).isEqualTo(200);
    }
    ClusterNode any = nodes[0];
    String metrics = result(Eventually.until(client,
        () -> http.get(any.ingestPort(), "127.0.0.1", "/metrics").send().map(HttpResponse::bodyAsString),
        body -> gauge(body, "hookbus_fanout_bridges") >= nodes.length, Duration.ofSeconds(15)));
    assertThat(gauge(metrics, "hookbus_fanout_bridges")).isGreaterThanOrEqualTo(nodes.length);
  }

  private static double gauge(String prometheus, String name) {
    return prometheus.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
  }
}
