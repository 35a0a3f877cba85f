package dev.hookbus.model;

import com.fasterxml.jackson.annotation.JsonValue;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One question someone may answer from hookbus (a tool's permission request, or an MCP server's elicitation), and
 * what became of it.
 *
 * @param id          unguessable (128 random bits), given by ingest when it holds the hook
 * @param toolInput   the tool's input as Claude Code sent it (a Bash command, an Edit's file and strings)
 * @param suggestions Claude Code's {@code permission_suggestions}: rules an "always allow" may send back
 * @param status      {@code pending}, {@code decided}, {@code expired} or {@code superseded}
 * @param decision    {@code {behavior, message?, updatedInput?, updatedPermissions?}} (a permission) or
 *                    {@code {action, content?}} (an elicitation) once decided, else null
 * @param decidedBy   the viewer token's name (or fingerprint), {@code local} without tokens; null until decided
 * @param elicitation what the MCP server asks; null for a permission request (then {@code kind} is
 *                    {@link #PERMISSION}, else {@link #ELICITATION})
 */
public record ApprovalView(String id, String sessionId, String agentId, String toolName, Object toolInput,
                           Object suggestions, long requestedAt, long expiresAt, String status,
                           Map<String, Object> decision, String decidedBy, Long decidedAt,
                           ElicitationAsk elicitation) {
  public static final String PERMISSION = "permission";
  public static final String ELICITATION = "elicitation";
  public static final String PENDING = "pending";
  public static final String DECIDED = "decided";
  public static final String EXPIRED = "expired";
  public static final String SUPERSEDED = "superseded";

  public boolean pending() {
    return PENDING.equals(status);
  }

  public String kind() {
    return elicitation == null ? PERMISSION : ELICITATION;
  }

  public ApprovalView decided(Map<String, Object> newDecision, String by, long at) {
    return new ApprovalView(id, sessionId, agentId, toolName, toolInput, suggestions, requestedAt, expiresAt, DECIDED,
        newDecision, by, at, elicitation);
  }

  /** Ended without a decision: {@link #EXPIRED} or {@link #SUPERSEDED}. */
  public ApprovalView ended(String newStatus, long at) {
    return new ApprovalView(id, sessionId, agentId, toolName, toolInput, suggestions, requestedAt, expiresAt,
        newStatus, null, null, at, elicitation);
  }

  /** The envelope payload, snapshot and journal form; {@link #fromMap} reads it back. */
  @JsonValue
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("id", id);
    map.put("kind", kind());
    map.put("sessionId", sessionId);
    map.put("agentId", agentId);
    map.put("toolName", toolName);
    map.put("toolInput", toolInput);
    map.put("suggestions", suggestions);
    map.put("requestedAt", requestedAt);
    map.put("expiresAt", expiresAt);
    map.put("status", status);
    map.put("decision", decision);
    map.put("decidedBy", decidedBy);
    map.put("decidedAt", decidedAt);
    if (elicitation != null) {
      elicitation.putInto(map);
    }
    return map;
  }

  @SuppressWarnings("unchecked")
  public static ApprovalView fromMap(Map<String, Object> map) {
    Object decision = map.get("decision");
    Map<String, Object> decisionMap = decision instanceof Map<?, ?> m ? (Map<String, Object>) m
        : decision instanceof JsonObject j ? j.getMap() : null;
    return new ApprovalView((String) map.get("id"), (String) map.get("sessionId"), (String) map.get("agentId"),
        (String) map.get("toolName"), plain(map.get("toolInput")), plain(map.get("suggestions")),
        ((Number) map.get("requestedAt")).longValue(), ((Number) map.get("expiresAt")).longValue(),
        (String) map.get("status"), decisionMap, (String) map.get("decidedBy"),
        map.get("decidedAt") instanceof Number n ? n.longValue() : null,
        ELICITATION.equals(map.get("kind")) ? ElicitationAsk.fromMap(map) : null);
  }

  /** JSON values as plain maps and lists, so the snapshot serialises them like any other field. */
  public static Object plain(Object value) {
    if (value instanceof JsonObject j) {
      return j.getMap();
    }
    if (value instanceof JsonArray a) {
      return a.getList();
    }
    return value;
  }
}
