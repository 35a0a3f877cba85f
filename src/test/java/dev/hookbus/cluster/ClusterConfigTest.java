package dev.hookbus.cluster;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.instance.EndpointQualifier;
import dev.hookbus.config.AppConfig;
import dev.hookbus.config.ConfigException;
import dev.hookbus.config.ConfigLoader;
import dev.hookbus.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterConfigTest {

  @Test
  @DisplayName("the Hazelcast config comes from the cluster section: TCP-IP members, one interface, no multicast")
  void hazelcastFromConfig() {
    AppConfig config = AppConfig.from(new JsonObject().put("cluster", new JsonObject()
        .put("host", "10.0.0.5").put("hazelcastPort", 6000).put("clusterName", "team-a")
        .put("members", List.of("10.0.0.5", "10.0.0.6:6000"))));
    Config hazelcast = HazelcastSetup.config(config.cluster());
    assertThat(config.cluster().enabled()).isFalse();
    assertThat(config.clustered().cluster().enabled()).isTrue();
    assertThat(hazelcast.getClusterName()).isEqualTo("team-a");
    AdvancedNetworkConfig network = hazelcast.getAdvancedNetworkConfig();
    assertThat(network.isEnabled()).isTrue();
    ServerSocketEndpointConfig member = (ServerSocketEndpointConfig) network.getEndpointConfigs()
        .get(EndpointQualifier.MEMBER);
    assertThat(member.getPort()).isEqualTo(6000);
    assertThat(member.getInterfaces().getInterfaces()).containsExactly("10.0.0.5");
    assertThat(network.getEndpointConfigs()).containsOnlyKeys(EndpointQualifier.MEMBER);
    assertThat(network.getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(network.getJoin().getTcpIpConfig().getMembers())
        .containsExactly("10.0.0.5", "10.0.0.6:6000");
    assertThat(hazelcast.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("0");
    assertThat(hazelcast.getMultiMapConfig("__vertx.subs").getValueCollectionType())
        .isEqualTo(MultiMapConfig.ValueCollectionType.SET);
  }

  @Test
  @DisplayName("bad cluster keys fail the boot naming the key; env overrides reach the section")
  void validation() {
    assertThatThrownBy(() -> AppConfig.from(new JsonObject().put("cluster", new JsonObject().put("minReplica", 1))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.minReplica");
    assertThatThrownBy(() -> AppConfig.from(new JsonObject().put("cluster", new JsonObject().put("members", "x"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.members");
    Vertx vertx = Vertx.vertx();
    try {
      AppConfig loaded = Await.result(ConfigLoader.load(vertx, null, Map.of("HOOKBUS_CLUSTER_ENABLED", "true",
          "HOOKBUS_CLUSTER_MEMBERS", "[\"10.1.1.1\",\"10.1.1.2\"]")));
      assertThat(loaded.cluster().enabled()).isTrue();
      assertThat(loaded.cluster().members()).containsExactly("10.1.1.1", "10.1.1.2");
    } finally {
      Await.result(vertx.close());
    }
  }
}
