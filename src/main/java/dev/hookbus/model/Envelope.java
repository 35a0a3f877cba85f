package dev.hookbus.model;

import java.util.Map;

/** What subscribers get: an event with its global, gap-free {@code seq}. */
public record Envelope(long seq, String type, long timestamp, long receivedAt, String sessionId, String agentId,
                       Map<String, Object> payload) {

  public static Envelope of(long seq, Event event, Map<String, Object> payload) {
    return new Envelope(seq, event.type(), event.timestamp(), event.receivedAt(), event.sessionId(),
        event.agentId(), payload);
  }
}
