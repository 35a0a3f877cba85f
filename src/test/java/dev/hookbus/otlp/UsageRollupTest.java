package dev.hookbus.otlp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The rollup against UsageReport over the same envelopes, with clocks that step back (receipt times are not
 * monotonic in seq), random bounds, a retention cut with its rereads saved half-done in a checkpoint.
 */
class UsageRollupTest {
  private static final long HOUR = UsageRollup.HOUR_MS;
  private final Random random = new Random(7);
  private final List<JsonObject> envelopes = new ArrayList<>();

  @Test
  @DisplayName("whole hours from the cells plus the edge hours' envelopes equal the report of every envelope in range, "
      + "before and after a cut, and through a save and load that owes rereads")
  void equalsTheReport() {
    long t = 1_795_000_000_000L;
    UsageRollup rollup = new UsageRollup(1);
    for (long seq = 1; seq <= 3_000; seq++) {
      t += random.nextInt(60_000) - 10_000; // now and then a step back
      JsonObject envelope = envelope(seq, t);
      envelopes.add(envelope);
      rollup.fold(envelope);
    }
    long first = envelopes.get(0).getLong("receivedAt");
    for (int i = 0; i < 40; i++) {
      assertSame(rollup, 1, bound(first, t), bound(first, t));
    }

    rollup.cut(1_234);
    UsageRollup.Range owed = rollup.rereads().get(0);
    UsageRollup loaded = UsageRollup.fromJson(new JsonObject(rollup.toJson().encode()));
    assertThat(loaded.rereads()).containsExactlyElementsOf(rollup.rereads());
    for (UsageRollup.Range range : loaded.rereads()) {
      loaded.reread(range, envelopes.subList((int) range.fromSeq() - 1, (int) range.toSeq()));
    }
    loaded.reread(owed, envelopes); // settled already: ignored
    assertThat(loaded.rereads()).isEmpty();
    for (int i = 0; i < 40; i++) {
      assertSame(loaded, 1_234, bound(first, t), bound(first, t));
    }
    assertSame(loaded, 1_234, null, null);
  }

  private Long bound(long first, long last) {
    return random.nextInt(5) == 0 ? null : first + (long) (random.nextDouble() * (last - first + 2 * HOUR)) - HOUR;
  }

  private void assertSame(UsageRollup rollup, long fromSeq, Long since, Long until) {
    UsageReport expected = new UsageReport(UsageReport.By.SESSION);
    UsageReport expectedByDay = new UsageReport(UsageReport.By.DAY);
    for (JsonObject e : envelopes) {
      long received = e.getLong("receivedAt");
      if (e.getLong("seq") >= fromSeq && (since == null || received >= since) && (until == null || received < until)) {
        expected.add(e);
        expectedByDay.add(e);
      }
    }
    for (UsageReport.By by : List.of(UsageReport.By.SESSION, UsageReport.By.DAY)) {
      UsageReport actual = new UsageReport(by);
      for (UsageRollup.Range edge : rollup.addTo(actual, since, until)) {
        for (JsonObject e : envelopes.subList((int) edge.fromSeq() - 1, (int) edge.toSeq())) {
          long received = e.getLong("receivedAt");
          if (UsageRollup.hourOf(e) == edge.hour() && (since == null || received >= since)
              && (until == null || received < until)) {
            actual.add(e);
          }
        }
      }
      JsonObject want = (by == UsageReport.By.SESSION ? expected : expectedByDay).toJson();
      JsonObject got = actual.toJson();
      JsonArray wantRows = want.getJsonArray("rows");
      JsonArray gotRows = got.getJsonArray("rows");
      assertThat(gotRows.size()).as(since + ".." + until).isEqualTo(wantRows.size());
      for (int i = 0; i < wantRows.size(); i++) {
        JsonObject w = wantRows.getJsonObject(i);
        JsonObject g = gotRows.getJsonObject(i);
        assertThat(g.getDouble("costUsd")).isCloseTo(w.getDouble("costUsd"), within(1e-9));
        assertThat(g.copy().put("costUsd", 0)).isEqualTo(w.copy().put("costUsd", 0));
      }
    }
  }

  private JsonObject envelope(long seq, long receivedAt) {
    String session = "s-" + random.nextInt(5);
    String model = random.nextInt(4) == 0 ? null : random.nextBoolean() ? "opus" : "haiku";
    JsonObject payload = new JsonObject().put("sessionId", session);
    String type;
    switch (random.nextInt(3)) {
      case 0 -> {
        type = "usage:metrics";
        payload.put("points", new JsonArray()
            .add(new JsonObject().put("metric", "cost").put("model", model).put("delta", random.nextInt(100) / 7.0))
            .add(new JsonObject().put("metric", "tokens").put("type", "input").put("model", model)
                .put("delta", random.nextInt(900))));
      }
      case 1 -> {
        type = "usage:api-request";
        payload.put("model", model).put("costUsd", random.nextInt(100) / 13.0).put("inputTokens", random.nextInt(99))
            .put("outputTokens", random.nextInt(50));
      }
      default -> type = "tool:pre";
    }
    return new JsonObject().put("seq", seq).put("type", type).put("sessionId", session).put("receivedAt", receivedAt)
        .put("payload", payload);
  }
}
