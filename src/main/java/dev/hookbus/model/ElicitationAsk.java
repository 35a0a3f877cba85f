package dev.hookbus.model;

import java.util.Map;

/**
 * What an MCP server asks the person through Claude Code's {@code Elicitation} hook.
 *
 * @param server          the MCP server's name ({@code mcp_server_name})
 * @param mode            {@code form} (fill in {@code requestedSchema}) or {@code url} (open {@code url}); may be null
 * @param requestedSchema a flat JSON Schema object ({@code properties}, {@code required}); null in url mode
 * @param elicitationId   the MCP elicitation's id when the server gave one
 */
public record ElicitationAsk(String server, String message, String mode, String url, Object requestedSchema,
                             String elicitationId) {
  static final String SERVER = "server";
  static final String MESSAGE = "message";
  static final String MODE = "mode";
  static final String URL = "url";
  static final String REQUESTED_SCHEMA = "requestedSchema";
  static final String ELICITATION_ID = "elicitationId";

  /** From an {@code elicitation} event's payload (as {@code ClaudeHookMapper} names the hook's fields). */
  public static ElicitationAsk fromPayload(Map<String, Object> p) {
    return new ElicitationAsk(text(p.get("mcpServerName")), text(p.get("message")), text(p.get("mode")),
        text(p.get("url")), ApprovalView.plain(p.get("requestedSchema")), text(p.get("elicitationId")));
  }

  void putInto(Map<String, Object> map) {
    map.put(SERVER, server);
    map.put(MESSAGE, message);
    map.put(MODE, mode);
    map.put(URL, url);
    map.put(REQUESTED_SCHEMA, requestedSchema);
    map.put(ELICITATION_ID, elicitationId);
  }

  static ElicitationAsk fromMap(Map<String, Object> map) {
    return new ElicitationAsk(text(map.get(SERVER)), text(map.get(MESSAGE)), text(map.get(MODE)), text(map.get(URL)),
        ApprovalView.plain(map.get(REQUESTED_SCHEMA)), text(map.get(ELICITATION_ID)));
  }

  private static String text(Object value) {
    return value instanceof String s ? s : null;
  }
}
