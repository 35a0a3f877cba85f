package dev.hookbus.bus;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EncodedJsonTest {

  private static JsonObject envelope(JsonObject into) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("text", "é \u2028 \" \\ \u0000 😀");
    payload.put("big", new BigInteger("123456789012345678901234567890"));
    payload.put("float", 1.5e300);
    payload.put("list", new ArrayList<>(List.of(1, 2L, true, "x")));
    payload.put("nothing", null);
    payload.put("fixed", Map.of("k", 1));
    return into.put("seq", 7L).put("type", "tool:pre").put("sessionId", null).put("payload", new JsonObject(payload))
        .put("arr", new JsonArray().add(new JsonObject()));
  }

  @Test
  @DisplayName("the streaming encoder writes what Json.encode writes, for every kind of JSON value a body holds")
  void sameTextAsVertx() {
    JsonObject plain = envelope(new JsonObject());
    assertThat(EncodedJson.encode(plain)).isEqualTo(Json.encode(plain));
    assertThat(EncodedJson.encode(envelope(EncodedJson.object()))).isEqualTo(Json.encode(plain));
    assertThat(EncodedJson.encode(new JsonArray().add("a").add(1))).isEqualTo("[\"a\",1]");
  }

  @Test
  @DisplayName("an encoded object remembers its text, forgets it when changed, and stays equal to a plain copy")
  void remembers() {
    JsonObject json = envelope(EncodedJson.object());
    String text = EncodedJson.encode(json);
    assertThat(EncodedJson.encode(json)).isSameAs(text);
    assertThat(json).isEqualTo(envelope(new JsonObject())).isEqualTo(json.copy());
    assertThat(EncodedJson.encode(json.copy())).isEqualTo(text).isNotSameAs(text);

    json.put("truncated", true);
    assertThat(EncodedJson.encode(json)).endsWith(",\"truncated\":true}");
    json.remove("truncated");
    assertThat(EncodedJson.encode(json)).isEqualTo(text).isNotSameAs(text);
  }

  @Test
  @DisplayName("an object parsed from text holds what the text says and encodes to that very text; a change forgets it")
  void parsedRemembersItsText() {
    String text = EncodedJson.encode(envelope(new JsonObject()));
    JsonObject parsed = EncodedJson.parse(text);
    assertThat(parsed).isEqualTo(new JsonObject(text));
    assertThat(parsed.getJsonObject("payload").getString("text")).isEqualTo("é \u2028 \" \\ \u0000 😀");
    assertThat(EncodedJson.encode(parsed)).isSameAs(text);
    parsed.put("truncated", true);
    assertThat(EncodedJson.encode(parsed)).isNotEqualTo(text).endsWith(",\"truncated\":true}");
  }

  @Test
  @DisplayName("a copy is deep (a change to the copy leaves the original alone) and remembers its own text")
  void copyIsDeepAndRemembers() {
    JsonObject original = envelope(EncodedJson.object());
    String text = EncodedJson.encode(original);
    JsonObject copy = EncodedJson.copy(original);
    copy.getJsonObject("payload").put("text", "changed");
    assertThat(original.getJsonObject("payload").getString("text")).isNotEqualTo("changed");
    assertThat(EncodedJson.encode(original)).isSameAs(text);
    String copied = EncodedJson.encode(copy);
    assertThat(copied).contains("\"changed\"");
    assertThat(EncodedJson.encode(copy)).isSameAs(copied);
  }
}
