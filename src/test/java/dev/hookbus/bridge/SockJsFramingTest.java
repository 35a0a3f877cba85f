package dev.hookbus.bridge;

import io.vertx.ext.web.handler.sockjs.impl.JsonCodec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SockJsFramingTest {
  private static final String AWKWARD = "{\"s\":\"é ü 漢字 😀 \\\" \\\\ \\n \\t \u0001 \u2028 / <script>\"}";

  @Test
  @DisplayName("a message frame is byte for byte what vertx-web's JsonCodec writes, escapes and all")
  void sameAsVertxWeb() {
    assertThat(SockJsFraming.messageFrame(AWKWARD).toString()).isEqualTo("a" + JsonCodec.encode(new String[] {AWKWARD}));
    assertThat(SockJsFraming.messageFrame(AWKWARD).toString()).matches("\\p{ASCII}*");
  }

  @Test
  @DisplayName("joined message frames are one a[…] with every message, in order")
  void joined() {
    var one = SockJsFraming.messageFrame("{\"n\":1}");
    var two = SockJsFraming.messageFrame(AWKWARD);
    assertThat(SockJsFraming.join(List.of(one, two), one.length() + two.length()).toString())
        .isEqualTo("a" + JsonCodec.encode(new String[] {"{\"n\":1}", AWKWARD}));
  }

  @Test
  @DisplayName("client messages: an array of strings or one string; anything else is refused")
  void decode() {
    assertThat(SockJsFraming.decode("[\"{\\\"type\\\":\\\"ping\\\"}\",\"b\"]")).containsExactly("{\"type\":\"ping\"}", "b");
    assertThat(SockJsFraming.decode("\"{\\\"type\\\":\\\"ping\\\"}\"")).containsExactly("{\"type\":\"ping\"}");
    assertThat(SockJsFraming.decode("")).isEmpty();
    assertThat(SockJsFraming.decode("[]")).isEmpty();
    assertThat(SockJsFraming.decode("{\"type\":\"ping\"}")).isNull();
    assertThat(SockJsFraming.decode("[\"a\",1,\"b\"]")).isNull();
    assertThat(SockJsFraming.decode("[\"unterminated]")).isNull();
  }

  @Test
  @DisplayName("close frames carry the code and the quoted reason")
  void close() {
    assertThat(SockJsFraming.closeFrame(4001, "slow consumer").toString()).isEqualTo("c[4001,\"slow consumer\"]");
  }
}
