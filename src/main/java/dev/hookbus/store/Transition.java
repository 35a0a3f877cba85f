package dev.hookbus.store;

import dev.hookbus.model.Envelope;
import dev.hookbus.model.Json;
import dev.hookbus.state.Applied;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The envelopes of one state transition (one accepted event, or one idle sweep) and their journal record.
 * Journal body: {@code {"k":"in","in":<seq of the accepted event>,"e":[envelope…]}} or
 * {@code {"k":"idle","at":<clock of the sweep>,"e":[…]}}. Every envelope is journaled, derived ones too, so the
 * store can serve any seq exactly as it was published; replay re-applies only the cause ({@code in} / {@code at}).
 */
public record Transition(List<JsonObject> envelopes, JournalRecord record) {

  public static Transition accepted(Applied applied, long now) {
    return of(applied.envelopes(), new JsonObject().put("k", "in").put("in", applied.seq()), now);
  }

  /** The idle sweep at {@code now}; null when it closed nothing. */
  public static Transition idle(List<Envelope> envelopes, long now) {
    return envelopes.isEmpty() ? null : of(envelopes, new JsonObject().put("k", "idle").put("at", now), now);
  }

  private static Transition of(List<Envelope> envelopes, JsonObject body, long now) {
    List<JsonObject> json = new ArrayList<>(envelopes.size());
    envelopes.forEach(e -> json.add(Json.envelope(e)));
    body.put("e", new JsonArray(new ArrayList<>(json)));
    long first = envelopes.get(0).seq();
    long last = envelopes.get(envelopes.size() - 1).seq();
    return new Transition(json, new JournalRecord(first, last, now, body.toBuffer().getBytes()));
  }

  public long lastSeq() {
    return record.lastSeq();
  }
}
