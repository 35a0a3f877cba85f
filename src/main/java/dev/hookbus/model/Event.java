package dev.hookbus.model;

import java.util.Map;

/**
 * A validated event on its way to the state actor, before it has a seq.
 *
 * @param type       canonical ({@code tool:pre}) or custom type
 * @param timestamp  when the sender says it happened (epoch ms); the receive time when it did not say
 * @param receivedAt when ingest received it (epoch ms)
 * @param sessionId  the session it belongs to, or null for a global event
 * @param agentId    the subagent it comes from, or null
 * @param payload    the event's own fields, as sent
 */
public record Event(String type, long timestamp, long receivedAt, String sessionId, String agentId,
                    Map<String, Object> payload) {
}
