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
 * {@code {"k":"idle","at":<clock of the sweep>,"e":[…]}} or {@code {"k":"usage","at":<clock>,"e":[usage:update…]}}. Every envelope is kept, derived ones too, so any seq can
 * be served exactly as it was published; {@link Replayer} re-applies only the cause ({@code in} / {@code at}).
 * The envelopes are turned into JSON here, once: the same objects go to the record, to history and to subscribers,
 * and each is encoded once ({@link EncodedJson}): the record is built around their texts, which the bridge reuses.
 */
record Transition(List<JsonObject> envelopes, JournalRecord record) {
  static final String KIND = "k";
  static final String ACCEPTED = "in";
  static final String IDLE = "idle";
  /** The once-a-second {@code usage:update}s, at {@link #IDLE_AT}'s clock. */
  static final String USAGE = "usage";
  static final String CAUSE = "in";
  static final String IDLE_AT = "at";
  static final String ENVELOPES = "e";

  static Transition accepted(Applied applied, long now) {
    return accepted(applied, now, null);
  }

  /** @param views puts what the transition changed in the sessions' views on its envelopes; right after applying */
  static Transition accepted(Applied applied, long now, ViewChanges views) {
    return of(applied.envelopes(), ACCEPTED, CAUSE, applied.seq(), now, views);
  }

  static Transition idle(List<Envelope> envelopes, long now) {
    return idle(envelopes, now, null);
  }

  /** The idle sweep at {@code now}; null when it closed nothing. */
  static Transition idle(List<Envelope> envelopes, long now, ViewChanges views) {
    return envelopes.isEmpty() ? null : of(envelopes, IDLE, IDLE_AT, now, now, views);
  }

  /** The usage updates at {@code now}; null when no session's usage changed. */
  static Transition usage(List<Envelope> envelopes, long now, ViewChanges views) {
    return envelopes.isEmpty() ? null : of(envelopes, USAGE, IDLE_AT, now, now, views);
  }

  /** {@code {"k":<kind>,<causeKey>:<cause>,"e":[…]}}, written around the envelopes' own texts. */
  private static Transition of(List<Envelope> envelopes, String kind, String causeKey, long cause, long now,
                               ViewChanges views) {
    List<JsonObject> json = new ArrayList<>(envelopes.size());
    for (Envelope e : envelopes) {
      json.add(EventJson.envelope(e, EncodedJson.object()));
    }
    if (views != null) {
      views.annotate(json);
    }
    StringBuilder body = new StringBuilder(512).append("{\"").append(KIND).append("\":\"").append(kind)
        .append("\",\"").append(causeKey).append("\":").append(cause).append(",\"").append(ENVELOPES).append("\":[");
    for (int i = 0; i < json.size(); i++) {
      if (i > 0) {
        body.append(',');
      }
      body.append(EncodedJson.encode(json.get(i)));
    }
    byte[] bytes = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    long first = envelopes.get(0).seq();
    long last = envelopes.get(envelopes.size() - 1).seq();
    return new Transition(json, new JournalRecord(first, last, now, bytes));
  }
}
