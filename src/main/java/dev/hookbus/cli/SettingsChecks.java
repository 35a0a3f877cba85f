package dev.hookbus.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Doctor's checks of what the settings files say, beyond the hooks: the OpenTelemetry export ({@code hooks install
 * --otel}) and the managed settings an administrator may have set, whose allowlists stop {@code http} hooks
 * without a word. Each returns what it found, or throws with what to change.
 */
final class SettingsChecks {
  /** Where Claude Code reads managed settings on Linux and macOS. */
  static final List<Path> MANAGED = List.of(Path.of("/etc/claude-code/managed-settings.json"),
      Path.of("/Library/Application Support/ClaudeCode/managed-settings.json"));

  private SettingsChecks() {
  }

  static String otel(String ingest, List<Path> files) {
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      JsonObject settings = SettingsFile.read(file).json();
      boolean mentions = OtelInstaller.isOurs(settings) || settings.getValue("env") instanceof JsonObject env
          && env.containsKey(OtelInstaller.ENDPOINT);
      if (!mentions) {
        continue;
      }
      String problem = OtelInstaller.problem(settings, ingest);
      if (problem == null) {
        return file + " exports metrics and events to " + OtelInstaller.endpoint(ingest);
      }
      problems.add(file + ": " + problem);
    }
    if (problems.isEmpty()) {
      return "not set up (optional: hooks install --otel adds cost and tokens per session)";
    }
    throw new IllegalStateException(String.join("; ", problems) + "; run hooks install --otel --url " + ingest);
  }

  /**
   * {@code allowManagedHooksOnly}, {@code allowedHttpHookUrls} (URL patterns, {@code *} matches anything) and
   * {@code httpHookAllowedEnvVars} (the variables an http hook may put in its headers) of every managed file found.
   */
  static String managed(String ingest, List<Path> managedFiles, List<Path> settingsFiles) {
    String hookUrl = HooksInstaller.hookUrl(ingest);
    List<String> found = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path file : managedFiles) {
      if (!Files.isRegularFile(file)) {
        continue;
      }
      JsonObject managed = SettingsFile.read(file).json();
      found.add(file.toString());
      if (Boolean.TRUE.equals(managed.getValue("allowManagedHooksOnly"))) {
        problems.add(file + " sets allowManagedHooksOnly: only hooks in managed settings run; add hookbus's hooks"
            + " there (hooks print shows them)");
      }
      if (managed.getValue("allowedHttpHookUrls") instanceof JsonArray urls && urls.stream()
          .noneMatch(pattern -> pattern instanceof String p && glob(p).matcher(hookUrl).matches())) {
        problems.add(file + ": allowedHttpHookUrls " + urls.encode() + " does not allow " + hookUrl
            + "; add \"" + hookUrl + "\" to it");
      }
      if (managed.getValue("httpHookAllowedEnvVars") instanceof JsonArray vars) {
        for (String var : tokenVars(settingsFiles)) {
          if (!vars.contains(var)) {
            problems.add(file + ": httpHookAllowedEnvVars " + vars.encode() + " lacks " + var
                + ", so the hooks send no token; add \"" + var + "\" to it");
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(String.join("; ", problems));
    }
    return found.isEmpty() ? "no managed settings" : String.join(", ", found) + " allow hookbus's http hooks";
  }

  /** The variables hookbus's installed http hooks take their token from. */
  private static List<String> tokenVars(List<Path> settingsFiles) {
    List<String> vars = new ArrayList<>();
    for (Path file : settingsFiles) {
      JsonObject hooks = SettingsFile.read(file).json().getJsonObject("hooks", new JsonObject());
      for (String event : hooks.fieldNames()) {
        if (!(hooks.getValue(event) instanceof JsonArray groups)) {
          continue;
        }
        for (Object group : groups) {
          if (group instanceof JsonObject g && g.getValue("hooks") instanceof JsonArray list) {
            for (Object hook : list) {
              if (HooksInstaller.isOurs(hook) && ((JsonObject) hook).getValue("allowedEnvVars") instanceof JsonArray a) {
                a.forEach(v -> {
                  if (v instanceof String s && !vars.contains(s)) {
                    vars.add(s);
                  }
                });
              }
            }
          }
        }
      }
    }
    return vars;
  }

  private static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (String part : pattern.split("\\*", -1)) {
      if (regex.length() > 0) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }
}
