package dev.hookbus.notify;

import dev.hookbus.config.NotifyConfig;
import dev.hookbus.config.WebhookConfig;
import dev.hookbus.model.EventTypes;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

/**
 * Follows each session through the envelopes browsers get, and says when a wait starts and ends and when something
 * is worth telling at once (an error, the context nearly full, a decided approval). Pure: no clock, no Vert.x
 * besides JsonObject; {@link NotifyVerticle} turns waits into timers and notices into POSTs.
 */
final class SessionWatch {
  /** What the watch tells its owner. */
  interface Signals {
    void waitStarted(Wait wait);

    void waitEnded(Wait wait);

    void notice(Notice notice);
  }

  private final NotifyConfig config;
  private final Signals signals;
  private final Map<String, Tracked> sessions = new HashMap<>();

  private static final class Tracked {
    final String sessionId;
    String cwd;
    boolean contextHigh;
    int failureStreak;
    Wait wait;

    Tracked(String sessionId) {
      this.sessionId = sessionId;
    }
  }

  SessionWatch(NotifyConfig config, Signals signals) {
    this.config = config;
    this.signals = signals;
  }

  int trackedSessions() {
    return sessions.size();
  }

  /** An envelope of {@code hookbus.events}. */
  void onEvent(JsonObject envelope, long now) {
    String sessionId = Texts.text(envelope, "sessionId");
    String type = Texts.text(envelope, "type");
    if (sessionId == null || type == null) {
      return;
    }
    JsonObject p = payload(envelope);
    Tracked s = sessions.computeIfAbsent(sessionId, Tracked::new);
    if (p.getValue("cwd") instanceof String cwd) {
      s.cwd = cwd;
    }
    if (p.getValue("contextPercent") instanceof Number percent) {
      context(s, sessionId, percent.doubleValue(), envelope);
    }
    switch (type) {
      case EventTypes.SESSION_END -> {
        endWait(s);
        sessions.remove(sessionId);
      }
      case EventTypes.CONTEXT_UPDATE -> {
        if (p.getValue("percent") instanceof Number percent) {
          context(s, sessionId, percent.doubleValue(), envelope);
        }
      }
      case EventTypes.PERMISSION_REQUEST -> startWait(s, envelope, Wait.PERMISSION,
          Texts.tool(Texts.text(p, "toolName"), p.getValue("toolInput")), now);
      case EventTypes.ELICITATION -> startWait(s, envelope, Wait.ELICITATION, Texts.text(p, "message"), now);
      case EventTypes.NOTIFICATION -> {
        String reason = reasonOf(Texts.text(p, "notificationType"));
        if (reason != null) {
          startWait(s, envelope, reason, Texts.text(p, "message"), now);
        }
      }
      case EventTypes.ELICITATION_RESULT -> endWaitFor(s, Wait.ELICITATION);
      case EventTypes.TOOL_PRE -> endWaitFor(s, Wait.INPUT);
      case EventTypes.TOOL_POST -> {
        s.failureStreak = 0;
        endWait(s);
      }
      case EventTypes.TOOL_FAILURE -> {
        s.failureStreak++;
        if (s.failureStreak == config.toolFailureStreak()) {
          signals.notice(new Notice(WebhookConfig.ERROR, sessionId, Texts.text(envelope, "agentId"),
              s.failureStreak + " tool calls failed in a row · " + project(s, sessionId),
              Texts.failure(p), 4, null, null, envelope));
        }
        endWait(s);
      }
      case EventTypes.TURN_STOP -> {
        endWait(s);
        if (Boolean.TRUE.equals(p.getValue("failed"))) {
          signals.notice(new Notice(WebhookConfig.ERROR, sessionId, Texts.text(envelope, "agentId"),
              "Stopped on an error · " + project(s, sessionId), Texts.stopFailure(p), 4, null, null, envelope));
        }
      }
      case EventTypes.PERMISSION_DENIED, EventTypes.PROMPT_SUBMIT, EventTypes.SESSION_START -> endWait(s);
      default -> {
      }
    }
  }

  /** An envelope of {@code hookbus.approvals}. */
  void onApproval(JsonObject envelope, long now) {
    String type = Texts.text(envelope, "type");
    String id = field(envelope, "id");
    String sessionId = field(envelope, "sessionId");
    if (type == null || id == null || sessionId == null) {
      return;
    }
    JsonObject p = payload(envelope).isEmpty() ? envelope : payload(envelope);
    Tracked s = sessions.computeIfAbsent(sessionId, Tracked::new);
    Wait wait = s.wait;
    boolean ofThisWait = wait != null && wait.approval != null && wait.approval.id().equals(id);
    switch (type) {
      case "approval:pending" -> {
        if ("elicitation".equals(Texts.text(p, "kind"))) {
          return; // the session's elicitation wait tells of it; Allow / Deny buttons cannot answer a question
        }
        String summary = Texts.tool(Texts.text(p, "toolName"), p.getValue("toolInput"));
        if (wait == null || !wait.reason.equals(Wait.PERMISSION)) {
          wait = startWait(s, envelope, Wait.PERMISSION, summary, now);
        }
        wait.agentId = field(envelope, "agentId");
        wait.approval = new Wait.Approval(id, Texts.text(p, "toolName"), summary, envelope);
      }
      case "approval:decided" -> {
        signals.notice(new Notice(WebhookConfig.APPROVAL_DECIDED, sessionId, field(envelope, "agentId"),
            Texts.decided(p) + " · " + project(s, sessionId), Texts.decidedBy(p), 2, id, null, envelope));
        if (ofThisWait) {
          endWait(s);
        }
      }
      // Expired: hookbus stopped holding the hook, the terminal still asks; superseded: the session moved on, and
      // the event that showed it ends the wait itself.
      case "approval:expired", "approval:superseded" -> {
        if (ofThisWait) {
          wait.approval = null;
        }
      }
      default -> {
      }
    }
  }

  /** The notice for a wait that lasted a webhook's {@code afterMs}, or null when it wants none for it. */
  Notice noticeFor(Wait wait, WebhookConfig webhook, long now) {
    Tracked s = sessions.get(wait.sessionId);
    String where = project(s, wait.sessionId);
    long waited = Math.max(0, now - wait.startedAt);
    String waitedText = Texts.duration(waited);
    if (wait.approval != null && webhook.wants(WebhookConfig.APPROVAL_PENDING)) {
      return new Notice(WebhookConfig.APPROVAL_PENDING, wait.sessionId, wait.agentId,
          "Allow " + Texts.orUnknown(wait.approval.toolName()) + "? · " + where,
          wait.approval.summary() + " (waiting " + waitedText + ")", 4, wait.approval.id(), waited,
          wait.approval.envelope());
    }
    if (wait.reason.equals(Wait.INPUT)) {
      return webhook.wants(WebhookConfig.INPUT) ? new Notice(WebhookConfig.INPUT, wait.sessionId, wait.agentId,
          "Waiting for your next prompt · " + where, Texts.orEmpty(wait.detail) + " (idle " + waitedText + ")", 3,
          null, waited, wait.envelope) : null;
    }
    if (!webhook.wants(WebhookConfig.WAITING)) {
      return null;
    }
    String title = wait.reason.equals(Wait.ELICITATION) ? "A question waits for you · " + where
        : "Waiting for permission · " + where;
    return new Notice(WebhookConfig.WAITING, wait.sessionId, wait.agentId, title,
        Texts.orEmpty(wait.detail) + " (waiting " + waitedText + ")", 4, null, waited, wait.envelope);
  }

  private Wait startWait(Tracked s, JsonObject envelope, String reason, String detail, long now) {
    if (s.wait != null && s.wait.reason.equals(reason)) {
      return s.wait;
    }
    endWait(s);
    Wait wait = new Wait(s.sessionId, field(envelope, "agentId"), reason, detail, now, envelope);
    s.wait = wait;
    signals.waitStarted(wait);
    return wait;
  }

  private void endWaitFor(Tracked s, String reason) {
    if (s.wait != null && s.wait.reason.equals(reason)) {
      endWait(s);
    }
  }

  private void endWait(Tracked s) {
    Wait wait = s.wait;
    if (wait != null) {
      s.wait = null;
      wait.ended = true;
      signals.waitEnded(wait);
    }
  }

  private void context(Tracked s, String sessionId, double percent, JsonObject envelope) {
    if (percent < config.contextPercent()) {
      s.contextHigh = false;
    } else if (!s.contextHigh) {
      s.contextHigh = true;
      signals.notice(new Notice(WebhookConfig.CONTEXT, sessionId, Texts.text(envelope, "agentId"),
          "Context " + Math.round(percent) + " % full · " + project(s, sessionId),
          "The session nears its context limit; it will compact or stop soon.", 3, null, null, envelope));
    }
  }

  private static String reasonOf(String notificationType) {
    if (notificationType == null) {
      return null;
    }
    return switch (notificationType) {
      case "permission_prompt" -> Wait.PERMISSION;
      case "idle_prompt" -> Wait.INPUT;
      case "elicitation_dialog" -> Wait.ELICITATION;
      default -> null;
    };
  }

  private static String project(Tracked s, String sessionId) {
    String cwd = s == null ? null : s.cwd;
    if (cwd != null) {
      String name = cwd.replaceAll("[/\\\\]+$", "").replaceAll(".*[/\\\\]", "");
      if (!name.isEmpty()) {
        return name;
      }
    }
    return "session " + (sessionId.length() > 8 ? sessionId.substring(0, 8) : sessionId);
  }

  private static JsonObject payload(JsonObject envelope) {
    return envelope.getValue("payload") instanceof JsonObject p ? p : new JsonObject();
  }

  /** A field of an approval envelope, in its payload or at its top level (either shape is accepted). */
  private static String field(JsonObject envelope, String key) {
    JsonObject p = payload(envelope);
    return Texts.text(p.containsKey(key) ? p : envelope, key);
  }
}
