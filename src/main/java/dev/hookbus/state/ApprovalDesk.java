package dev.hookbus.state;

import dev.hookbus.bus.FailureCode;
import dev.hookbus.model.ApprovalView;
import dev.hookbus.model.Envelope;
import dev.hookbus.model.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static dev.hookbus.model.EventTypes.APPROVAL_DECIDED;
import static dev.hookbus.model.EventTypes.APPROVAL_EXPIRED;
import static dev.hookbus.model.EventTypes.APPROVAL_PENDING;

/**
 * The state actor's side of approvals: answers {@code hookbus.approvals.decide} (the first decision wins), expires
 * each pending approval at its {@code expiresAt} (one timer each), and at start expires what a crash left pending:
 * its held hook died with the process. Every ending is an accepted event, kept before it is published, so the
 * journal is the audit. Runs on the actor's event loop.
 */
final class ApprovalDesk {
  private static final Logger LOG = LoggerFactory.getLogger(ApprovalDesk.class);
  private static final int MAX_MESSAGE_CHARS = 10_000;

  private final Vertx vertx;
  private final Keeper keeper;
  private final BooleanSupplier refusing;

  /** @param refusing true while the actor takes no events (stopping, or rebuilding from the log) */
  ApprovalDesk(Vertx vertx, Keeper keeper, BooleanSupplier refusing) {
    this.vertx = vertx;
    this.keeper = keeper;
    this.refusing = refusing;
  }

  /** Expires every approval still pending after a restore; its hook is gone. */
  Future<Void> expireLeftovers() {
    List<ApprovalView> left = keeper.registry().approvals().pending();
    if (left.isEmpty()) {
      return Future.succeededFuture();
    }
    long now = System.currentTimeMillis();
    List<Transition> transitions = new ArrayList<>(left.size());
    for (ApprovalView approval : left) {
      transitions.add(end(APPROVAL_EXPIRED, approval.ended(ApprovalView.EXPIRED, now), now));
    }
    LOG.info("expired {} approvals left pending by the previous run", left.size());
    return keeper.keep(transitions);
  }

  /** Sets the expiry timer of every approval the applied event opened. */
  void watch(Applied applied) {
    for (Envelope envelope : applied.envelopes()) {
      if (envelope.type().equals(APPROVAL_PENDING)) {
        String id = (String) envelope.payload().get("id");
        long expiresAt = ((Number) envelope.payload().get("expiresAt")).longValue();
        vertx.setTimer(Math.max(1, expiresAt - System.currentTimeMillis()), t -> expire(id));
      }
    }
  }

  void decide(Message<Object> message) {
    if (!(message.body() instanceof JsonObject body) || !(body.getValue("id") instanceof String id)) {
      message.fail(FailureCode.INVALID_REQUEST.code(), "a decision needs {\"id\", \"behavior\": \"allow\"|\"deny\"}"
          + " (an elicitation: {\"id\", \"action\": \"accept\"|\"decline\"|\"cancel\", \"content\"?})");
      return;
    }
    if (refusing.getAsBoolean()) {
      message.fail(FailureCode.UNAVAILABLE.code(), "hookbus is not taking decisions right now; retry shortly");
      return;
    }
    ApprovalView approval = keeper.registry().approvals().find(id);
    if (approval == null) {
      message.fail(FailureCode.UNKNOWN.code(), "no approval " + id);
      return;
    }
    Map<String, Object> decision;
    try {
      decision = approval.elicitation() != null ? ElicitationAnswers.decision(body, approval.elicitation())
          : decision(body);
    } catch (IllegalArgumentException e) {
      message.fail(FailureCode.INVALID_REQUEST.code(), e.getMessage());
      return;
    }
    long now = System.currentTimeMillis();
    if (approval.status().equals(ApprovalView.DECIDED)) {
      message.fail(FailureCode.ALREADY_DECIDED.code(), "approval " + id + " was decided by " + approval.decidedBy());
    } else if (approval.status().equals(ApprovalView.SUPERSEDED)) {
      message.fail(FailureCode.ALREADY_DECIDED.code(), "approval " + id + " was answered elsewhere");
    } else if (approval.status().equals(ApprovalView.EXPIRED) || now >= approval.expiresAt()) {
      expire(id);
      message.fail(FailureCode.EXPIRED.code(), "approval " + id + " expired; the terminal decides");
    } else {
      String by = body.getValue("decidedBy") instanceof String who && !who.isBlank() ? who : "unknown";
      ApprovalView decided = approval.decided(decision, by, now);
      keeper.keep(List.of(end(APPROVAL_DECIDED, decided, now)))
          .onSuccess(v -> {
            LOG.info("approval {} of session {} ({}): {} by {}", id, decided.sessionId(),
                decided.elicitation() != null ? "elicitation of " + decided.elicitation().server()
                    : decided.toolName(), decision.getOrDefault("behavior", decision.get("action")), by);
            message.reply(new JsonObject().put("ok", true).put("approval", new JsonObject(decided.toMap())));
          })
          .onFailure(e -> message.fail(FailureCode.STORE_UNAVAILABLE.code(),
              "the journal cannot be written (" + e.getMessage() + "); nothing was decided, retry shortly"));
    }
  }

  private void expire(String id) {
    ApprovalView approval = keeper.registry().approvals().find(id);
    if (approval == null || !approval.pending() || refusing.getAsBoolean()) {
      return;
    }
    long now = System.currentTimeMillis();
    keeper.keep(List.of(end(APPROVAL_EXPIRED, approval.ended(ApprovalView.EXPIRED, now), now)))
        .onFailure(e -> LOG.warn("could not keep the expiry of approval {}: {}", id, e.getMessage()));
  }

  /** Applies the ending as an accepted event, so that replaying the journal ends it again. */
  private Transition end(String type, ApprovalView ended, long now) {
    Event event = new Event(type, now, now, ended.sessionId(), ended.agentId(), ended.toMap());
    return Transition.accepted(keeper.registry().apply(event), now, keeper.views());
  }

  private static Map<String, Object> decision(JsonObject body) {
    if (body.containsKey("action")) {
      throw new IllegalArgumentException("this approval is a permission request: decide it with {\"behavior\":"
          + " \"allow\"|\"deny\"}, not an elicitation's action");
    }
    Object behavior = body.getValue("behavior");
    if (!"allow".equals(behavior) && !"deny".equals(behavior)) {
      throw new IllegalArgumentException("behavior must be \"allow\" or \"deny\"");
    }
    Map<String, Object> decision = new LinkedHashMap<>();
    decision.put("behavior", behavior);
    Object message = body.getValue("message");
    if (message != null && (!(message instanceof String text) || text.length() > MAX_MESSAGE_CHARS)) {
      throw new IllegalArgumentException("message must be a string of at most " + MAX_MESSAGE_CHARS + " characters");
    }
    if (message != null && !((String) message).isBlank()) {
      decision.put("message", message);
    }
    Object input = body.getValue("updatedInput");
    if (input != null && !(input instanceof JsonObject)) {
      throw new IllegalArgumentException("updatedInput must be an object");
    }
    Object permissions = body.getValue("updatedPermissions");
    if (permissions != null && !(permissions instanceof JsonArray)) {
      throw new IllegalArgumentException("updatedPermissions must be an array");
    }
    Object interrupt = body.getValue("interrupt");
    if (interrupt != null && !(interrupt instanceof Boolean)) {
      throw new IllegalArgumentException("interrupt must be true or false");
    }
    if (behavior.equals("deny") && Boolean.TRUE.equals(interrupt)) {
      decision.put("interrupt", true);
    }
    if (behavior.equals("allow")) {
      if (input != null) {
        decision.put("updatedInput", ((JsonObject) input).getMap());
      }
      if (permissions != null) {
        decision.put("updatedPermissions", ((JsonArray) permissions).getList());
      }
    }
    return decision;
  }
}
