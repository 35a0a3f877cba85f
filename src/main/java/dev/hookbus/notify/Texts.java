package dev.hookbus.notify;

import io.vertx.core.json.JsonObject;

/** The words of a notification: a tool call in one line, an error, a decision, a duration. */
final class Texts {
  private static final int MAX_DETAIL_CHARS = 300;

  private Texts() {
  }

  /** A string field, or null when absent or of another type (bodies come from anywhere). */
  static String text(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof String s ? s : null;
  }

  /** {@code Bash: npm test}, {@code Edit: src/App.java}: the input field a person recognises the call by. */
  static String tool(String toolName, Object toolInput) {
    String name = orUnknown(toolName);
    if (!(toolInput instanceof JsonObject input)) {
      return name;
    }
    for (String key : new String[] {"command", "file_path", "notebook_path", "url", "pattern", "query",
        "description"}) {
      String value = text(input, key);
      if (value != null) {
        return name + ": " + cut(value);
      }
    }
    return input.isEmpty() ? name : name + ": " + cut(input.encode());
  }

  static String failure(JsonObject payload) {
    return tool(text(payload, "toolName"), null) + " failed" + describe(payload.getValue("error"));
  }

  static String stopFailure(JsonObject payload) {
    String details = describe(payload.getValue("errorDetails"));
    return "The turn ended on an API error" + describe(payload.getValue("error"))
        + (details.isEmpty() ? "" : " (" + details.substring(2) + ")");
  }

  /** {@code Allowed Bash} / {@code Denied Bash}, from the decision's behavior. */
  static String decided(JsonObject payload) {
    Object decision = payload.getValue("decision");
    String behavior = decision instanceof JsonObject d ? text(d, "behavior")
        : decision instanceof String s ? s : text(payload, "behavior");
    if ("elicitation".equals(text(payload, "kind")) && decision instanceof JsonObject d) {
      return "Answered (" + orUnknown(text(d, "action")) + ") the question of " + orUnknown(text(payload, "server"));
    }
    String verb = "allow".equals(behavior) ? "Allowed" : "deny".equals(behavior) ? "Denied" : "Decided";
    return verb + " " + orUnknown(text(payload, "toolName"));
  }

  static String decidedBy(JsonObject payload) {
    Object decision = payload.getValue("decision");
    String message = decision instanceof JsonObject d ? text(d, "message") : text(payload, "message");
    String by = text(payload, "decidedBy");
    return "by " + (by == null ? "someone" : by) + (message == null ? "" : ": " + cut(message));
  }

  /** {@code 45 s}, {@code 2 min 5 s}. */
  static String duration(long ms) {
    long seconds = Math.round(ms / 1000.0);
    if (seconds < 60) {
      return seconds + " s";
    }
    return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
  }

  static String orUnknown(String toolName) {
    return toolName == null ? "a tool" : toolName;
  }

  static String orEmpty(String text) {
    return text == null ? "" : text;
  }

  private static String describe(Object error) {
    if (error == null) {
      return "";
    }
    String text = error instanceof String s ? s : error instanceof JsonObject json ? json.encode() : error.toString();
    return text.isBlank() ? "" : ": " + cut(text);
  }

  private static String cut(String text) {
    String oneLine = text.strip().replaceAll("\\s*\\n\\s*", " ⏎ ");
    return oneLine.length() <= MAX_DETAIL_CHARS ? oneLine : oneLine.substring(0, MAX_DETAIL_CHARS) + "…";
  }
}
