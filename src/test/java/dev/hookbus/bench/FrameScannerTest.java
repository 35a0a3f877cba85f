package dev.hookbus.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FrameScannerTest {
  @Test
  @DisplayName("reads the generated fields of every message in a SockJS frame, leaves the rest to a full parse")
  void scans() {
    JsonObject generated = new JsonObject().put("type", "rec").put("address", "hookbus.events").put("body",
        new JsonObject().put("seq", 42).put("type", "tool:pre").put("payload", new JsonObject()
            .put("text", "a \"quoted\" \\ back\\slash ]").put("gen", 7).put("lane", 3).put("laneSeq", 11)
            .put("sentAtNanos", -1234567L).put("warm", true).put("big", true)));
    JsonObject other = new JsonObject().put("type", "err").put("body", "access_denied");
    String frame = "a" + new JsonArray().add(generated.encode()).add(other.encode()).encode();
    List<FrameScanner.Fields> envelopes = new ArrayList<>();
    List<String> others = new ArrayList<>();

    FrameScanner.scan(frame, new FrameScanner.Sink() {
      public void envelope(FrameScanner.Fields fields) {
        envelopes.add(fields);
      }

      public void other(String jsonString) {
        others.add(jsonString);
      }
    });

    assertThat(envelopes).singleElement().satisfies(f -> {
      assertThat(f.seq).isEqualTo(42);
      assertThat(f.gen).isEqualTo(7);
      assertThat(f.lane).isEqualTo(3);
      assertThat(f.laneSeq).isEqualTo(11);
      assertThat(f.sentAtNanos).isEqualTo(-1234567L);
      assertThat(f.warm).isTrue();
      assertThat(f.big).isTrue();
    });
    assertThat(others).singleElement().satisfies(s ->
        assertThat(new JsonObject((String) io.vertx.core.json.Json.decodeValue(s))).isEqualTo(other));
  }
}
