package dev.hookbus.cluster;

import dev.hookbus.bus.Addresses;
import dev.hookbus.support.BridgeClient;
import dev.hookbus.support.Eventually;
import dev.hookbus.support.PermissionRequests;
import dev.hookbus.support.SockJsWebSocketBridgeClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** Approvals across two clustered nodes: the viewer on one node's bridge, the held hook on the other's ingest. */
class ClusterApprovalTest {
  private final ClusterFixture fixture = new ClusterFixture();
  private final Vertx client = Vertx.vertx();
  private ClusterNode leader;
  private ClusterNode follower;

  @AfterEach
  void stop() {
    result(ClusterFixture.closeAll(follower, leader).eventually(client::close), 30);
  }

  @Test
  @DisplayName("a viewer on the leader's bridge holds and decides a hook posted to the follower's ingest")
  void decideAcrossNodes() {
    leader = fixture.start(0);
    ClusterFixture.when(leader, "node 1 leads", 10_000, view -> view.describe().getBoolean("isLeader"));
    follower = fixture.start(1);
    ClusterFixture.when(follower, "node 2 sees the leader", 10_000, view -> leader.nodeId().equals(view.leader()));
    WebClient http = WebClient.create(client);
    BridgeClient viewer = result(SockJsWebSocketBridgeClient.connect(client, leader.bridgePort(), ""));
    result(viewer.register(Addresses.APPROVALS));
    result(Eventually.until(client, () -> http.get(follower.ingestPort(), "127.0.0.1", "/api/approvals").send(),
        r -> r.statusCode() == 200 && r.bodyAsJsonObject().getInteger("deciders") == 1, Duration.ofSeconds(15)));

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
}
