package dev.hookbus.support;

/**
 * The ingest port's POST routes, each with a valid body of its own into which a test puts one more JSON field
 * ({@code "key":value}): into the event's payload, the hook's {@code tool_input}, the status line's top level.
 */
public enum PostRoute {
  EVENTS("/api/events") {
    @Override
    public String body(String sessionId, String field) {
      return "{\"type\":\"tool:pre\",\"payload\":{\"sessionId\":\"" + sessionId + "\",\"toolName\":\"Write\""
          + comma(field) + "}}";
    }
  },
  CLAUDE_HOOK("/api/hooks/claude") {
    @Override
    public String body(String sessionId, String field) {
      return "{\"session_id\":\"" + sessionId + "\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Write\","
          + "\"tool_input\":{\"file_path\":\"/tmp/x\"" + comma(field) + "}}";
    }
  },
  STATUS_LINE("/api/statusline") {
    @Override
    public String body(String sessionId, String field) {
      return "{\"session_id\":\"" + sessionId + "\",\"context_window\":{\"used_percentage\":12}" + comma(field) + "}";
    }
  };

  private final String path;

  PostRoute(String path) {
    this.path = path;
  }

  public String path() {
    return path;
  }

  /** A valid body for this route with {@code field} ({@code "key":value}, or empty) added. */
  public abstract String body(String sessionId, String field);

  private static String comma(String field) {
    return field.isEmpty() ? "" : "," + field;
  }
}
