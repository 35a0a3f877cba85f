package dev.hookbus.cli;

import dev.hookbus.config.AppConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The hookbus entries in a settings.json {@code hooks} section: pure edits on the JSON, so install and uninstall
 * can be checked without touching a file. A hook is hookbus's when its URL (http) or command (curl) targets
 * {@code /api/hooks/claude}; everything else is the user's and is never touched. Longer than most classes on purpose:
 * what install writes and what uninstall recognises as hookbus's (both hook forms, every event list) must be read and
 * changed together, or an uninstall leaves entries behind.
 */
final class HooksInstaller {
  static final String HOOK_PATH = "/api/hooks/claude";
  /** Seconds. Claude waits on an http hook; hookbus answers in milliseconds, so anything slower means it is down. */
  static final int HTTP_TIMEOUT_S = 2;
  static final int COMMAND_TIMEOUT_S = 3;
  /**
   * Seconds. hookbus holds a PermissionRequest (and an Elicitation) up to {@code approvals.holdMs} while someone may
   * decide it in the dashboard; Claude Code drops a reply that comes after the hook's timeout (and denies the tool),
   * so it waits longer.
   */
  static final int PERMISSION_TIMEOUT_S = (int) (AppConfig.defaults().approvals().holdMs() / 1000) + 30;

  /** Events whose hooks fire as http hooks. Not WorktreeCreate (a hook replaces worktree creation) nor MessageDisplay. */
  static final List<String> HTTP_EVENTS = List.of("InstructionsLoaded", "UserPromptSubmit", "UserPromptExpansion",
      "PreToolUse", "PermissionRequest", "PermissionDenied", "PostToolUse", "PostToolUseFailure", "PostToolBatch",
      "Notification", "SubagentStart", "SubagentStop", "TaskCreated", "TaskCompleted", "Stop", "StopFailure",
      "TeammateIdle", "ConfigChange", "CwdChanged", "DirectoryAdded", "FileChanged", "WorktreeRemove", "PreCompact",
      "PostCompact", "Elicitation", "ElicitationResult", "PreModelSwitch", "PostModelSwitch", "SessionEnd");
  /** Events that do not fire http hooks: a command hook pipes the body to curl, in the background. */
  static final List<String> COMMAND_EVENTS = List.of("SessionStart", "Setup");

  private HooksInstaller() {
  }

  static String hookUrl(String baseUrl) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return base.endsWith(HOOK_PATH) ? base : base + HOOK_PATH;
  }

  /** The {@code hooks} section hookbus wants, as {@code hooks print} shows it. */
  static JsonObject desired(String baseUrl) {
    return desired(baseUrl, null);
  }

  /**
   * @param tokenEnv the environment variable holding the ingest token, or null when ingest has none; the token
   *                 itself is never written to the settings file
   */
  static JsonObject desired(String baseUrl, String tokenEnv) {
    String url = hookUrl(baseUrl);
    JsonObject hooks = new JsonObject();
    for (String event : COMMAND_EVENTS) {
      hooks.put(event, new JsonArray().add(new JsonObject().put("hooks",
          new JsonArray().add(commandHook(url, tokenEnv)))));
    }
    for (String event : HTTP_EVENTS) {
      JsonObject hook = httpHook(url, tokenEnv);
      if (event.equals("PermissionRequest") || event.equals("Elicitation")) {
        hook.put("timeout", PERMISSION_TIMEOUT_S);
      }
      hooks.put(event, new JsonArray().add(new JsonObject().put("hooks", new JsonArray().add(hook))));
    }
    return hooks;
  }

  static JsonObject httpHook(String url) {
    return httpHook(url, null);
  }

  static JsonObject httpHook(String url, String tokenEnv) {
    JsonObject hook = new JsonObject().put("type", "http").put("url", url).put("timeout", HTTP_TIMEOUT_S);
    if (tokenEnv != null) {
      hook.put("headers", new JsonObject().put("Authorization", "Bearer $" + tokenEnv))
          .put("allowedEnvVars", new JsonArray().add(tokenEnv));
    }
    return hook;
  }

  static JsonObject commandHook(String url) {
    return commandHook(url, null);
  }

  static JsonObject commandHook(String url, String tokenEnv) {
    String auth = tokenEnv == null ? "" : "-H \"Authorization: Bearer $" + tokenEnv + "\" ";
    String command = "curl -s -o /dev/null --max-time 1 -X POST -H 'Content-Type: application/json' " + auth
        + "--data-binary @- '" + url.replace("'", "'\\''") + "' >/dev/null 2>&1 || true";
    return new JsonObject().put("type", "command").put("command", command).put("async", true)
        .put("timeout", COMMAND_TIMEOUT_S);
  }

  static boolean isOurs(Object hook) {
    if (!(hook instanceof JsonObject h)) {
      return false;
    }
    String target = "http".equals(h.getValue("type")) ? text(h, "url") : text(h, "command");
    return target != null && target.contains(HOOK_PATH);
  }

  static boolean holdsOurs(JsonObject settings) {
    return settings.getValue("hooks") instanceof JsonObject hooks && !ours(hooks).isEmpty();
  }

  /** Our hooks as {@code event → url or command}, for doctor. */
  static List<String[]> ours(JsonObject hooks) {
    List<String[]> found = new ArrayList<>();
    for (String event : hooks.fieldNames()) {
      for (JsonObject group : groups(hooks, event)) {
        for (Object hook : hookList(group)) {
          if (isOurs(hook)) {
            JsonObject h = (JsonObject) hook;
            found.add(new String[] {event, text(h, "url") != null ? text(h, "url") : text(h, "command")});
          }
        }
      }
    }
    return found;
  }

  /** Adds or updates hookbus's hooks in place; returns one line per change (empty: nothing to do). */
  static List<String> install(JsonObject settings, String baseUrl) {
    return install(settings, baseUrl, null);
  }

  static List<String> install(JsonObject settings, String baseUrl, String tokenEnv) {
    if (settings.getValue("hooks") != null && !(settings.getValue("hooks") instanceof JsonObject)) {
      throw new IllegalStateException("\"hooks\" in the settings is not an object; fix it first");
    }
    JsonObject hooks = settings.getJsonObject("hooks", new JsonObject());
    JsonObject desired = desired(baseUrl, tokenEnv);
    List<String> changes = new ArrayList<>();
    for (String event : List.copyOf(hooks.fieldNames())) {
      if (!desired.containsKey(event) && removeOurs(hooks, event)) {
        changes.add("- removed the hookbus hook on " + event);
      }
    }
    for (String event : desired.fieldNames()) {
      JsonObject wanted = desired.getJsonArray(event).getJsonObject(0).getJsonArray("hooks").getJsonObject(0);
      String change = put(hooks, event, wanted);
      if (change != null) {
        changes.add(change + " " + event + " → " + wanted.getString("type") + " " + hookUrl(baseUrl));
      }
    }
    if (!changes.isEmpty()) {
      settings.put("hooks", hooks);
    }
    return changes;
  }

  /** Removes every hookbus hook; returns one line per event it was removed from. */
  static List<String> uninstall(JsonObject settings) {
    if (!(settings.getValue("hooks") instanceof JsonObject hooks)) {
      return List.of();
    }
    List<String> changes = new ArrayList<>();
    for (String event : List.copyOf(hooks.fieldNames())) {
      if (removeOurs(hooks, event)) {
        changes.add("- removed the hookbus hook on " + event);
      }
    }
    if (!changes.isEmpty() && hooks.isEmpty()) {
      settings.remove("hooks");
    }
    return changes;
  }

  /** Sets our hook on one event, replacing an older one of ours in place; null when it was already there. */
  private static String put(JsonObject hooks, String event, JsonObject wanted) {
    int removed = 0;
    boolean placed = false;
    if (hooks.getValue(event) instanceof JsonArray groups) {
      boolean[] keep = {true};
      removed = removeOurs(groups, hook -> {
        if (keep[0] && hook.equals(wanted)) {
          keep[0] = false;
          return false;
        }
        return true;
      });
      placed = !keep[0];
    }
    if (placed) {
      return removed > 0 ? "~ updated" : null;
    }
    JsonArray groups = hooks.getValue(event) instanceof JsonArray a ? a : new JsonArray();
    groups.add(new JsonObject().put("hooks", new JsonArray().add(wanted.copy())));
    hooks.put(event, groups);
    return removed > 0 ? "~ updated" : "+ added";
  }

  private static boolean removeOurs(JsonObject hooks, String event) {
    if (!(hooks.getValue(event) instanceof JsonArray groups)) {
      return false;
    }
    boolean removed = removeOurs(groups, hook -> true) > 0;
    if (removed && groups.isEmpty()) {
      hooks.remove(event);
    }
    return removed;
  }

  /**
   * Removes our hooks that {@code remove} agrees to from every group, and the groups that only held ours.
   * A group of the user's that was empty before stays.
   */
  private static int removeOurs(JsonArray groups, java.util.function.Predicate<JsonObject> remove) {
    int removed = 0;
    for (int g = 0; g < groups.size(); g++) {
      if (!(groups.getValue(g) instanceof JsonObject group) || !(group.getValue("hooks") instanceof JsonArray list)) {
        continue;
      }
      int before = removed;
      for (int i = 0; i < list.size(); i++) {
        if (isOurs(list.getValue(i)) && remove.test(list.getJsonObject(i))) {
          list.remove(i--);
          removed++;
        }
      }
      if (removed > before && list.isEmpty()) {
        groups.remove(g--);
      }
    }
    return removed;
  }

  private static List<JsonObject> groups(JsonObject hooks, String event) {
    List<JsonObject> out = new ArrayList<>();
    if (hooks.getValue(event) instanceof JsonArray groups) {
      for (Object g : groups) {
        if (g instanceof JsonObject group && group.getValue("hooks") instanceof JsonArray) {
          out.add(group);
        }
      }
    }
    return out;
  }

  private static JsonArray hookList(JsonObject group) {
    return group.getJsonArray("hooks");
  }

  private static String text(JsonObject o, String key) {
    return o.getValue(key) instanceof String s ? s : null;
  }
}
