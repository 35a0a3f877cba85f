package dev.hookbus.model;

import java.util.Set;
import java.util.regex.Pattern;

/** The canonical event types. Any other type matching {@link #CUSTOM} is accepted and broadcast as is. */
public final class EventTypes {
  public static final String SESSION_START = "session:start";
  public static final String SESSION_END = "session:end";
  /**
   * Emitted by hookbus in place of a {@code session:start} for a session already open (a late or repeated
   * SessionStart: resume, compact, or the async hook arriving after the first prompt): it enriches, not restarts.
   */
  public static final String SESSION_INFO = "session:info";
  /** PreModelSwitch ({@code phase:"pre"}) and PostModelSwitch ({@code phase:"post"}, which sets the model). */
  public static final String MODEL_SWITCH = "model:switch";
  /** Emitted by hookbus when a session that waited for a table gets one. */
  public static final String SESSION_TABLE = "session:table";
  public static final String SUBAGENT_START = "subagent:start";
  public static final String SUBAGENT_STOP = "subagent:stop";
  public static final String CONTEXT_UPDATE = "context:update";
  public static final String TOOL_PRE = "tool:pre";
  public static final String TOOL_POST = "tool:post";
  public static final String TOOL_FAILURE = "tool:failure";
  public static final String SKILL_USE = "skill:use";
  public static final String PROMPT_SUBMIT = "prompt:submit";
  public static final String PERMISSION_REQUEST = "permission:request";
  /** A tool call refused without asking (Claude Code's auto-mode classifier): the tool will not run. */
  public static final String PERMISSION_DENIED = "permission:denied";
  public static final String NOTIFICATION = "notification";
  public static final String ELICITATION = "elicitation";
  /** The person answered (or dismissed) an elicitation: the session no longer waits for it. */
  public static final String ELICITATION_RESULT = "elicitation:result";
  public static final String TURN_STOP = "turn:stop";
  public static final String COMPACT = "compact";
  /** Claude Code's {@code PostToolBatch}: after a denied permission, the only hook that follows. */
  public static final String POST_TOOL_BATCH = "claude:post-tool-batch";

  /** Types hookbus itself gives approvals; ingest refuses them from clients. */
  public static final String APPROVAL_PREFIX = "approval:";
  /** Derived from a held {@code permission:request}: someone may decide it. */
  public static final String APPROVAL_PENDING = "approval:pending";
  public static final String APPROVAL_DECIDED = "approval:decided";
  /** {@code approvals.holdMs} passed, or hookbus restarted while it was pending. */
  public static final String APPROVAL_EXPIRED = "approval:expired";
  /** Derived: the session moved on (answered in the terminal, or the turn ended). */
  public static final String APPROVAL_SUPERSEDED = "approval:superseded";

  /** Claude Code's OTLP metric points of one session from one export, each with the delta hookbus computed. */
  public static final String USAGE_METRICS = "usage:metrics";
  /** One {@code claude_code.api_request} log event: model, cost and tokens of one Messages API call. */
  public static final String USAGE_API_REQUEST = "usage:api-request";
  /** One {@code claude_code.api_error} log event. */
  public static final String USAGE_API_ERROR = "usage:api-error";
  /** One {@code claude_code.tool_decision} log event (accept or reject, and who decided). */
  public static final String USAGE_TOOL_DECISION = "usage:tool-decision";
  /** Emitted by hookbus: a session's usage totals, at most once a second while they change. */
  public static final String USAGE_UPDATE = "usage:update";

  /** Types that belong to a session and so need {@code payload.sessionId}. */
  public static final Set<String> SESSION_SCOPED = Set.of(SESSION_START, SESSION_END, SUBAGENT_START, SUBAGENT_STOP,
      CONTEXT_UPDATE, TOOL_PRE, TOOL_POST, TOOL_FAILURE, SKILL_USE, PROMPT_SUBMIT, PERMISSION_REQUEST, NOTIFICATION,
      ELICITATION, TURN_STOP, COMPACT, PERMISSION_DENIED, ELICITATION_RESULT, USAGE_METRICS, USAGE_API_REQUEST,
      USAGE_API_ERROR, USAGE_TOOL_DECISION);

  public static final Pattern CUSTOM = Pattern.compile("^[a-z][a-z0-9_.:-]{0,63}$");

  private EventTypes() {
  }
}
