package dev.hookbus.state;

import dev.hookbus.model.ApprovalView;
import dev.hookbus.model.ElicitationAsk;
import dev.hookbus.model.Envelope;
import dev.hookbus.model.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

import static dev.hookbus.model.EventTypes.*;

/**
 * The approvals of the registry: the pending ones, and the last {@link #REMEMBERED} that ended (so a late decision
 * is told {@code ALREADY_DECIDED} or {@code EXPIRED}, not {@code UNKNOWN}). Pure and deterministic like the rest of
 * the registry: a held {@code permission:request} or {@code elicitation} (its payload carries {@code approvalId} and {@code expiresAt},
 * given by ingest) opens one; an {@code approval:decided} or {@code approval:expired} event (payload: the whole
 * approval as it ends) closes it; the session moving on supersedes it, as derived envelopes.
 */
final class Approvals {
  static final int REMEMBERED = 1_000;
  static final String APPROVAL_ID = "approvalId";
  static final String EXPIRES_AT = "expiresAt";

  private final Map<String, ApprovalView> pending = new LinkedHashMap<>();
  private final LinkedHashMap<String, ApprovalView> ended = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ApprovalView> eldest) {
      return size() > REMEMBERED;
    }
  };

  /** The approval with this id, pending or recently ended; null when unknown. */
  ApprovalView find(String id) {
    ApprovalView open = pending.get(id);
    return open != null ? open : ended.get(id);
  }

  List<ApprovalView> pending() {
    return List.copyOf(pending.values());
  }

  /**
   * A held permission request or elicitation: supersedes an older one of the same agent, then opens its own.
   */
  void requested(Event event, LongSupplier nextSeq, List<Envelope> out) {
    Map<String, Object> p = event.payload();
    if (!(p.get(APPROVAL_ID) instanceof String id) || !(p.get(EXPIRES_AT) instanceof Number expiresAt)) {
      return;
    }
    supersede(event, true, nextSeq, out);
    ElicitationAsk elicitation = event.type().equals(ELICITATION) ? ElicitationAsk.fromPayload(p) : null;
    ApprovalView approval = new ApprovalView(id, event.sessionId(), event.agentId(),
        p.get("toolName") instanceof String tool ? tool : null, ApprovalView.plain(p.get("toolInput")),
        ApprovalView.plain(p.get("permissionSuggestions")), event.receivedAt(), expiresAt.longValue(),
        ApprovalView.PENDING, null, null, null, elicitation);
    pending.put(id, approval);
    out.add(derived(APPROVAL_PENDING, event, approval, nextSeq));
  }

  /**
   * An {@code approval:decided} or {@code approval:expired} event: its payload is the approval as it ends. Returns
   * it, or null when it was not pending (nothing changes then).
   */
  ApprovalView ended(Event event) {
    ApprovalView approval = ApprovalView.fromMap(event.payload());
    if (pending.remove(approval.id()) == null) {
      return null;
    }
    ended.put(approval.id(), approval);
    return approval;
  }

  /**
   * The session (or, with {@code sameAgent}, the agent of {@code cause}) moved on: every pending approval of it
   * becomes {@code superseded}.
   */
  void supersede(Event cause, boolean sameAgent, LongSupplier nextSeq, List<Envelope> out) {
    if (pending.isEmpty()) {
      return;
    }
    for (ApprovalView approval : new ArrayList<>(pending.values())) {
      if (approval.sessionId().equals(cause.sessionId())
          && (!sameAgent || Objects.equals(approval.agentId(), cause.agentId())) && ends(approval, cause)) {
        ApprovalView done = approval.ended(ApprovalView.SUPERSEDED, cause.receivedAt());
        pending.remove(approval.id());
        ended.put(done.id(), done);
        out.add(derived(APPROVAL_SUPERSEDED, cause, done, nextSeq));
      }
    }
  }

  /**
   * Whether {@code cause} shows the question answered elsewhere. A permission request: any next step of its agent
   * but an MCP server's question. An elicitation is asked from inside its MCP tool's call, while other tools may run
   * in parallel: only its server's {@code ElicitationResult}, the end of its server's tool, the batch or the turn
   * end it.
   */
  private static boolean ends(ApprovalView approval, Event cause) {
    String type = cause.type();
    if (type.equals(PROMPT_SUBMIT) || type.equals(TURN_STOP) || type.equals(SESSION_END)
        || type.equals(POST_TOOL_BATCH)) {
      return true;
    }
    ElicitationAsk asked = approval.elicitation();
    if (asked == null) {
      return !type.equals(ELICITATION) && !type.equals(ELICITATION_RESULT);
    }
    Object server = cause.payload().get("mcpServerName");
    if (type.equals(ELICITATION_RESULT)) {
      return server == null || server.equals(asked.server());
    }
    return (type.equals(TOOL_POST) || type.equals(TOOL_FAILURE)) && asked.server() != null
        && cause.payload().get("toolName") instanceof String tool && tool.startsWith("mcp__" + asked.server() + "__");
  }

  JsonArray toJson() {
    JsonArray all = new JsonArray();
    ended.values().forEach(a -> all.add(new JsonObject(a.toMap())));
    pending.values().forEach(a -> all.add(new JsonObject(a.toMap())));
    return all;
  }

  /** Loads what {@link #toJson()} saved (a checkpoint); ended ones first, in the order they ended. */
  void load(JsonArray saved) {
    if (saved == null) {
      return;
    }
    for (int i = 0; i < saved.size(); i++) {
      ApprovalView approval = ApprovalView.fromMap(saved.getJsonObject(i).getMap());
      (approval.pending() ? pending : ended).put(approval.id(), approval);
    }
  }

  private static Envelope derived(String type, Event cause, ApprovalView approval, LongSupplier nextSeq) {
    Map<String, Object> payload = approval.toMap();
    Event event = new Event(type, cause.receivedAt(), cause.receivedAt(), approval.sessionId(), approval.agentId(),
        payload);
    return Envelope.of(nextSeq.getAsLong(), event, payload);
  }
}
