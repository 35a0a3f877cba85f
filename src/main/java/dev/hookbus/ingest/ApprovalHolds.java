package dev.hookbus.ingest;

import dev.hookbus.bus.Addresses;
import dev.hookbus.config.ApprovalsConfig;
import dev.hookbus.model.ApprovalView;
import dev.hookbus.model.Event;
import dev.hookbus.model.EventTypes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PermissionRequest and Elicitation hooks this ingest instance holds open: each gets an unguessable approval id, and its reply
 * waits (a promise, never a blocked thread) for the approval's outcome from the state actor, or for
 * {@code approvals.holdMs}, whichever comes first. Held only while some viewer who may decide is connected.
 * One per ingest instance, on its event loop.
 */
final class ApprovalHolds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final JsonObject NO_DECISION = new JsonObject();
  private static final Set<String> HELD_TYPES = Set.of(EventTypes.PERMISSION_REQUEST, EventTypes.ELICITATION);

  private record Hold(Promise<JsonObject> reply, long timer) {
  }

  /** A held request: the event to send (with {@code approvalId}, {@code expiresAt}) and the reply to wait for. */
  record Held(String id, Event event) {
  }

  private final Vertx vertx;
  private final ApprovalsConfig config;
  private final Deciders deciders;
  private final Map<String, Hold> holds = new HashMap<>();

  ApprovalHolds(Vertx vertx, ApprovalsConfig config, Deciders deciders) {
    this.vertx = vertx;
    this.config = config;
    this.deciders = deciders;
  }

  Future<Void> start() {
    return deciders.start().compose(v -> vertx.eventBus().<JsonObject>consumer(Addresses.APPROVAL_OUTCOMES,
        m -> answer(m.body().getString("id"), reply(m.body()))).completion());
  }

  /**
   * The events to hold for: one PermissionRequest or Elicitation while a decider is connected; null to answer at
   * once.
   */
  Held hold(List<Event> events) {
    if (!config.enabled() || events.size() != 1 || !HELD_TYPES.contains(events.get(0).type())
        || deciders.count() == 0) {
      return null;
    }
    Event request = events.get(0);
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    String id = HexFormat.of().formatHex(bytes);
    Map<String, Object> payload = new LinkedHashMap<>(request.payload());
    payload.put("approvalId", id);
    // From the event's own receivedAt, which the approval takes as requestedAt: expiresAt - requestedAt = holdMs.
    payload.put("expiresAt", request.receivedAt() + config.holdMs());
    long timer = vertx.setTimer(config.holdMs(), t -> answer(id, NO_DECISION));
    holds.put(id, new Hold(Promise.promise(), timer));
    return new Held(id, new Event(request.type(), request.timestamp(), request.receivedAt(), request.sessionId(),
        request.agentId(), payload));
  }

  /** The hook's reply: the decision, or {@code {}} (expired, superseded, released). */
  Future<JsonObject> reply(String id) {
    Hold hold = holds.get(id);
    return hold == null ? Future.succeededFuture(NO_DECISION) : hold.reply().future();
  }

  /** The hook went away or was refused: nothing waits for this id any more. */
  void release(String id) {
    answer(id, NO_DECISION);
  }

  /** Stopping: every held hook answers {@code {}} now, so the terminal decides and the shutdown need not wait. */
  void releaseAll() {
    List.copyOf(holds.keySet()).forEach(this::release);
  }

  int deciders() {
    return deciders.count();
  }

  private void answer(String id, JsonObject reply) {
    Hold hold = id == null ? null : holds.remove(id);
    if (hold != null) {
      vertx.cancelTimer(hold.timer());
      hold.reply().complete(reply);
    }
  }

  /**
   * What Claude Code gets for an approval that is no longer pending: the decision in its {@code PermissionRequest}
   * (or {@code Elicitation}) shape when decided, {@code {}} (no decision: the terminal decides) otherwise.
   */
  static JsonObject reply(JsonObject approval) {
    JsonObject given = approval.getJsonObject("decision");
    if (!"decided".equals(approval.getString("status")) || given == null) {
      return NO_DECISION;
    }
    if (ApprovalView.ELICITATION.equals(approval.getString("kind"))) {
      return elicitationReply(given);
    }
    JsonObject decision = new JsonObject().put("behavior", given.getString("behavior"));
    if ("allow".equals(given.getString("behavior"))) {
      if (given.getValue("updatedInput") != null) {
        decision.put("updatedInput", given.getValue("updatedInput"));
      }
      if (given.getValue("updatedPermissions") != null) {
        decision.put("updatedPermissions", given.getValue("updatedPermissions"));
      }
    } else {
      decision.put("message", given.getString("message", "Denied in hookbus by " + approval.getString("decidedBy")))
          .put("interrupt", given.getBoolean("interrupt", false));
    }
    return new JsonObject().put("hookSpecificOutput",
        new JsonObject().put("hookEventName", "PermissionRequest").put("decision", decision));
  }

  /** {@code accept} always carries {@code content} (the MCP result's data, {@code {}} when the form asks nothing). */
  private static JsonObject elicitationReply(JsonObject given) {
    String action = given.getString("action");
    JsonObject output = new JsonObject().put("hookEventName", "Elicitation").put("action", action);
    if ("accept".equals(action)) {
      output.put("content", given.getJsonObject("content", new JsonObject()));
    }
    return new JsonObject().put("hookSpecificOutput", output);
  }
}
