package dev.hookbus.cli;

import io.vertx.core.json.JsonObject;

/**
 * Wires {@code statusLine} so Claude Code's status-line JSON also reaches {@code POST /api/statusline}, in the
 * background, while the user's own status-line command (if any) still gets the same JSON and prints as before.
 * The previous command lives on, quoted, at the end of the new one, which is where uninstall takes it back from.
 */
final class StatusLineInstaller {
  static final String PATH = "/api/statusline";

  private StatusLineInstaller() {
  }

  static String statusUrl(String baseUrl) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    if (base.endsWith(HooksInstaller.HOOK_PATH)) {
      base = base.substring(0, base.length() - HooksInstaller.HOOK_PATH.length());
    }
    return base + PATH;
  }

  static boolean isOurs(JsonObject settings) {
    return settings.getValue("statusLine") instanceof JsonObject line
        && line.getValue("command") instanceof String command && command.contains(PATH);
  }

  /** The shell command: forward stdin to hookbus without waiting, then hand the same stdin to the old command. */
  static String command(String baseUrl, String previousCommand) {
    String forward = "in=$(cat); printf '%s' \"$in\" | curl -s -o /dev/null --max-time 1 -X POST"
        + " -H 'Content-Type: application/json' --data-binary @- " + quote(statusUrl(baseUrl))
        + " >/dev/null 2>&1 &";
    if (previousCommand == null || previousCommand.isBlank()) {
      return forward + " true";
    }
    return forward + " printf '%s' \"$in\" | sh -c " + quote(previousCommand);
  }

  /** Installs; returns what changed, or null when hookbus already forwards the status line. */
  static String install(JsonObject settings, String baseUrl) {
    if (isOurs(settings)) {
      return null;
    }
    JsonObject previous = settings.getValue("statusLine") instanceof JsonObject o ? o : null;
    String previousCommand = previous != null && previous.getValue("command") instanceof String c ? c : null;
    JsonObject line = new JsonObject().put("type", "command").put("command", command(baseUrl, previousCommand));
    if (previous != null && previous.containsKey("padding")) {
      line.put("padding", previous.getValue("padding"));
    }
    settings.put("statusLine", line);
    return previousCommand == null
        ? "+ statusLine forwards to " + statusUrl(baseUrl) + " (there was no status line before)"
        : "~ statusLine forwards to " + statusUrl(baseUrl) + ", then runs your previous command: " + previousCommand;
  }

  private static final String PREVIOUS_MARK = " printf '%s' \"$in\" | sh -c ";

  /** Puts the previous status line back; returns what changed, or null when hookbus had not wired it. */
  static String uninstall(JsonObject settings) {
    if (!isOurs(settings)) {
      return null;
    }
    JsonObject line = settings.getJsonObject("statusLine");
    String command = line.getString("command");
    int at = command.lastIndexOf(PREVIOUS_MARK);
    if (at < 0) {
      settings.remove("statusLine");
      return "- removed the hookbus statusLine";
    }
    String previous = unquote(command.substring(at + PREVIOUS_MARK.length()));
    JsonObject restored = new JsonObject().put("type", "command").put("command", previous);
    if (line.containsKey("padding")) {
      restored.put("padding", line.getValue("padding"));
    }
    settings.put("statusLine", restored);
    return "~ statusLine runs your previous command again: " + previous;
  }

  private static String unquote(String quoted) {
    String inner = quoted.substring(1, quoted.length() - 1);
    return inner.replace("'\\''", "'");
  }

  static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
