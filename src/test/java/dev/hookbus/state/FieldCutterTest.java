package dev.hookbus.state;

import dev.hookbus.bus.EncodedJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FieldCutterTest {
  private final FieldCutter cutter = new FieldCutter(10);

  @Test
  @DisplayName("small envelopes go out as they are, the same object")
  void smallUntouched() {
    JsonObject envelope = new JsonObject().put("seq", 1).put("payload", new JsonObject().put("a", "short"));
    assertThat(cutter.cut(envelope)).isSameAs(envelope);
  }

  @Test
  @DisplayName("long strings anywhere in the payload are cut with a marker; the original stays whole")
  void cutsNestedStrings() {
    String big = "x".repeat(25);
    JsonObject envelope = new JsonObject().put("seq", 2).put("payload", new JsonObject()
        .put("toolInput", new JsonObject().put("content", big).put("n", 3))
        .put("list", new JsonArray().add(big).add("ok")));
    JsonObject cut = cutter.cut(envelope);
    assertThat(cut.getBoolean("truncated")).isTrue();
    assertThat(cut.getJsonObject("payload").getJsonObject("toolInput").getString("content"))
        .isEqualTo("x".repeat(10) + FieldCutter.marker(15));
    assertThat(cut.getJsonObject("payload").getJsonArray("list").getString(0)).startsWith("xxxxxxxxxx…");
    assertThat(cut.getJsonObject("payload").getJsonArray("list").getString(1)).isEqualTo("ok");
    assertThat(envelope.getJsonObject("payload").getJsonObject("toolInput").getString("content")).isEqualTo(big);
    assertThat(envelope.containsKey("truncated")).isFalse();
  }

  @Test
  @DisplayName("a cut never splits a surrogate pair")
  void keepsSurrogatePairs() {
    String text = "123456789" + "😀".repeat(5);
    String out = cutter.cut(new JsonObject().put("payload", new JsonObject().put("t", text)))
        .getJsonObject("payload").getString("t");
    assertThat(out).startsWith("123456789…");
  }

  @Test
  @DisplayName("an encoded envelope: under the cap in all it goes out as it is; over it, long strings are still cut")
  void encodedEnvelopes() {
    FieldCutter wide = new FieldCutter(64);
    JsonObject small = EncodedJson.object().put("seq", 3).put("payload", new JsonObject().put("a", "short"));
    EncodedJson.encode(small);
    assertThat(wide.cut(small)).isSameAs(small);
    // Longer than the cap in all, but no string in it is: walked, and left as it is.
    JsonObject many = EncodedJson.object().put("seq", 4).put("payload", new JsonObject()
        .put("a", "x".repeat(40)).put("b", "y".repeat(40)));
    EncodedJson.encode(many);
    assertThat(wide.cut(many)).isSameAs(many);
    JsonObject big = EncodedJson.object().put("seq", 5).put("payload", new JsonObject().put("a", "z".repeat(100)));
    EncodedJson.encode(big);
    JsonObject cut = wide.cut(big);
    assertThat(cut.getBoolean("truncated")).isTrue();
    assertThat(cut.getJsonObject("payload").getString("a")).isEqualTo("z".repeat(64) + FieldCutter.marker(36));
  }
}
