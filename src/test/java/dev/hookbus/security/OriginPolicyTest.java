package dev.hookbus.security;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OriginPolicyTest {
  private static final HostAllowlist LOOPBACK = HostAllowlist.forBinding("127.0.0.1", List.of());

  @Test
  @DisplayName("ingest: no Origin passes unless it says cross-site; an Origin passes only when allowed")
  void ingest() {
    OriginPolicy policy = OriginPolicy.of(OriginPolicy.dashboardOrigins(3848, HostAllowlist.LOOPBACK_NAMES),
        List.of("https://tool.example"));
    assertThat(policy.allows(null, null)).isTrue();
    assertThat(policy.allows(null, "none")).isTrue();
    assertThat(policy.allows(null, "same-origin")).isTrue();
    assertThat(policy.allows(null, "Cross-Site")).isFalse();
    for (String ok : List.of("http://127.0.0.1:3848", "http://localhost:3848", "http://[::1]:3848",
        "https://localhost:3848", "HTTP://LOCALHOST:3848", "https://tool.example")) {
      assertThat(policy.allows(ok, "same-site")).as(ok).isTrue();
    }
    for (String refused : List.of("https://evil.example", "null", "http://localhost:3847", "http://localhost",
        "http://127.0.0.1:38480", "file://", "http://localhost:3848.evil.example")) {
      assertThat(policy.allows(refused, null)).as(refused).isFalse();
    }
    assertThat(policy.allowsAny()).isFalse();
    assertThat(policy.origins()).doesNotContain("*").contains("http://[::1]:3848", "https://tool.example");
    OriginPolicy any = OriginPolicy.of(List.of(), List.of("*"));
    assertThat(any.allowsAny()).isTrue();
    assertThat(any.allows("https://evil.example", "cross-site")).isTrue();
    assertThat(OriginPolicy.dashboardOrigins(0, List.of("localhost"))).isEmpty();
  }

  @Test
  @DisplayName("web pages are recognised by Origin or Sec-Fetch-Site cross-site/same-site")
  void fromWebPage() {
    assertThat(OriginPolicy.fromWebPage(null, null)).isFalse();
    assertThat(OriginPolicy.fromWebPage(null, "none")).isFalse();
    assertThat(OriginPolicy.fromWebPage(null, "same-origin")).isFalse();
    assertThat(OriginPolicy.fromWebPage(null, "same-site")).isTrue();
    assertThat(OriginPolicy.fromWebPage(null, "cross-site")).isTrue();
    assertThat(OriginPolicy.fromWebPage("http://127.0.0.1:3848", null)).isTrue();
  }

  @Test
  @DisplayName("bridge: the allowed host names at the bridge's own port, the request's own allowed Host, or the list")
  void bridge() {
    List<String> none = List.of();
    assertThat(OriginPolicy.bridgeAllows(null, none, LOOPBACK, 3848, "evil.example")).isTrue();
    assertThat(OriginPolicy.bridgeAllows("http://localhost:3848", none, LOOPBACK, 3848, "127.0.0.1:3848")).isTrue();
    assertThat(OriginPolicy.bridgeAllows("https://[::1]:3848", none, LOOPBACK, 3848, "127.0.0.1:3848")).isTrue();
    // The dashboard behind a port forward: the page's origin is the Host it was loaded from.
    assertThat(OriginPolicy.bridgeAllows("http://127.0.0.1:9000", none, LOOPBACK, 3848, "127.0.0.1:9000")).isTrue();
    // A page of another local server, and a rebinding page, whose Host is its own name.
    assertThat(OriginPolicy.bridgeAllows("http://127.0.0.1:9000", none, LOOPBACK, 3848, "127.0.0.1:3848")).isFalse();
    assertThat(OriginPolicy.bridgeAllows("http://evil.example:3848", none, LOOPBACK, 3848, "evil.example:3848"))
        .isFalse();
    assertThat(OriginPolicy.bridgeAllows("http://evil.example:3848", none, LOOPBACK, 3848, "127.0.0.1:3848"))
        .isFalse();
    assertThat(OriginPolicy.bridgeAllows("null", none, LOOPBACK, 3848, "127.0.0.1:3848")).isFalse();
    assertThat(OriginPolicy.bridgeAllows("ftp://localhost:3848", none, LOOPBACK, 3848, null)).isFalse();
    assertThat(OriginPolicy.bridgeAllows("http://localhost", none, LOOPBACK, 80, null)).isTrue();
    assertThat(OriginPolicy.bridgeAllows("https://ops.example", List.of("https://ops.example"), LOOPBACK, 3848, null))
        .isTrue();
    assertThat(OriginPolicy.bridgeAllows("http://localhost:3848", List.of("https://ops.example"), LOOPBACK, 3848,
        null)).as("the list widens the default").isTrue();
    assertThat(OriginPolicy.bridgeAllows("https://evil.example", List.of("*"), LOOPBACK, 3848, null)).isTrue();
    HostAllowlist lan = HostAllowlist.forBinding("0.0.0.0", List.of("hookbus.lan"));
    assertThat(OriginPolicy.bridgeAllows("http://hookbus.lan:3848", none, lan, 3848, "hookbus.lan:3848")).isTrue();
    assertThat(OriginPolicy.bridgeAllows("http://localhost:3848", none, lan, 3848, "hookbus.lan:3848")).isFalse();
  }
}
