package dev.hookbus.security;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HostAllowlistTest {

  @Test
  @DisplayName("on loopback: the loopback names with or without a port, plus the configured names; nothing else")
  void loopback() {
    HostAllowlist hosts = HostAllowlist.forBinding("127.0.0.1", List.of("Hookbus.LAN", "::2"));
    assertThat(hosts.acceptsAny()).isFalse();
    for (String ok : List.of("127.0.0.1", "127.0.0.1:3847", "localhost", "LocalHost:1", "[::1]", "[::1]:3848",
        "hookbus.lan", "hookbus.lan:80", "[::2]:9")) {
      assertThat(hosts.allows(ok)).as(ok).isTrue();
    }
    for (String refused : List.of("evil.example", "evil.example:3847", "localhost.evil.example", "127.0.0.1.nip.io",
        "127.0.0.2", "localhost.", "0.0.0.0:3847", "::1", "[::1", "localhost:", "localhost:80:80", "localhost:8a",
        "[::1]x", "", " ")) {
      assertThat(hosts.allows(refused)).as(refused).isFalse();
    }
    assertThat(hosts.allows(null)).as("no Host header").isFalse();
    assertThat(HostAllowlist.forBinding("localhost", List.of()).allows("127.0.0.1:1")).isTrue();
    assertThat(HostAllowlist.forBinding("::1", List.of()).allows("[::1]:1")).isTrue();
  }

  @Test
  @DisplayName("beyond loopback: only the configured names, or any Host (acceptsAny) when none is configured")
  void beyondLoopback() {
    HostAllowlist configured = HostAllowlist.forBinding("0.0.0.0", List.of("hookbus.lan"));
    assertThat(configured.acceptsAny()).isFalse();
    assertThat(configured.allows("hookbus.lan:3847")).isTrue();
    assertThat(configured.allows("localhost:3847")).isFalse();
    HostAllowlist open = HostAllowlist.forBinding("0.0.0.0", List.of());
    assertThat(open.acceptsAny()).isTrue();
    assertThat(open.allows("anything.example")).isTrue();
    assertThat(open.allows(null)).isTrue();
    assertThat(open.lists("anything.example")).as("acceptsAny lists no name").isFalse();
  }
}
