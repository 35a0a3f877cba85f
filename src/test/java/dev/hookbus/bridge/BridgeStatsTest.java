package dev.hookbus.bridge;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BridgeStatsTest {
  @Test
  @DisplayName("subscribers per address follow registers, unregisters and disconnects")
  void countsPerAddress() {
    BridgeStats stats = new BridgeStats();
    Object a = new Object();
    Object b = new Object();
    stats.connected(a);
    stats.connected(b);
    stats.registered(a, "hookbus.events");
    stats.registered(a, "hookbus.events");
    stats.registered(a, "hookbus.sessions.s1");
    stats.registered(b, "hookbus.events");
    assertThat(stats.channelStats()).isEqualTo(Map.of("hookbus.events", 3, "hookbus.sessions.s1", 1));

    stats.unregistered(b, "hookbus.sessions.s1");
    stats.unregistered(a, "hookbus.events");
    assertThat(stats.channelStats()).isEqualTo(Map.of("hookbus.events", 2, "hookbus.sessions.s1", 1));

    stats.disconnected(a);
    assertThat(stats.channelStats()).isEqualTo(Map.of("hookbus.events", 1));
    assertThat(stats.subscriptions()).isEqualTo(1);
    stats.disconnected(b);
    stats.disconnected(b);
    assertThat(stats.channelStats()).isEmpty();
    assertThat(stats.connectedClients()).isZero();
  }
}
