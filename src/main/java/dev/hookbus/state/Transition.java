package dev.hookbus.state;

import dev.hookbus.bus.EncodedJson;
import dev.hookbus.model.Envelope;
import dev.hookbus.model.EventJson;
import dev.hookbus.store.JournalRecord;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The envelopes of one state transition (one accepted event, or one idle sweep) and the record that keeps them.
 * Record body: {@code {"k":"in","in":<seq of the accepted event>,"e":[envelope…]}} or
 * {@code {"k":"idle","at":<clock of the sweep>,"e":[…]}}. Every envelope is kept, derived ones too, so any seq can
 * be served exactly as it was published; {@link Replayer} re-applies only the cause ({@code in} / {@code at}).
 * The envelopes are turned into JSON here, once: the same objects go to the record, to history and to subscribers,
 * and each is encoded once ({@link EncodedJson}): the record is built around their texts, which the bridge reuses.
 */
record Transition(List<JsonObject> envelopes, JournalRecord record) {
  static final String KIND = "k";
  static final String ACCEPTED = "in";
  static final String IDLE = "idle";
  static final String CAUSE = "in";
  static final String IDLE_AT = "at";
  static final String ENVELOPES = "e";

  static Transition accepted(Applied applied, long now) {
    return of(applied.envelopes(), ACCEPTED, CAUSE, applied.seq(), now);
  }

  /** The idle sweep at {@code now}; null when it closed nothing. */
  static Transition idle(List<Envelope> envelopes, long now) {
    return envelopes.isEmpty() ? null : of(envelopes, IDLE, IDLE_AT, now, now);
  }

  /** {@code {"k":<kind>,<causeKey>:<cause>,"e":[…]}}, written around the envelopes' own texts. */
  private static Transition of(List<Envelope> envelopes, String kind, String causeKey, long cause, long now) {
    List<JsonObject> json = new ArrayList<>(envelopes.size());
    StringBuilder body = new StringBuilder(512).append("{\"").append(KIND).append("\":\"").append(kind)
        .append("\",\"").append(causeKey).append("\":").append(cause).append(",\"").append(ENVELOPES).append("\":[");
    for (Envelope e : envelopes) {
      JsonObject envelope = EventJson.envelope(e, EncodedJson.object());
      if (!json.isEmpty()) {
        body.append(',');
      }
      body.append(EncodedJson.encode(envelope));
      json.add(envelope);
    }
    byte[] bytes = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    long first = envelopes.get(0).seq();
    long last = envelopes.get(envelopes.size() - 1).seq();
    return new Transition(json, new JournalRecord(first, last, now, bytes));
  }
}
