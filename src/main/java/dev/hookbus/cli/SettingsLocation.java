package dev.hookbus.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where Claude Code's settings files are, found the way Claude Code finds them: the user settings in
 * {@code $CLAUDE_CONFIG_DIR} when it is set, else in {@code $HOME/.claude} (Java's {@code user.home} only when
 * {@code HOME} is unset); the project and local settings in {@code <project>/.claude}. {@code --home} (or the
 * system property {@code hookbus.home}) names a home directory instead and wins over both variables.
 */
final class SettingsLocation {
  @Option(names = "--home", paramLabel = "<dir>",
      description = {"use <dir>/.claude for the user settings", "(default: $CLAUDE_CONFIG_DIR, else $HOME/.claude)"})
  Path home;

  @Option(names = "--project", paramLabel = "<dir>",
      description = {"use <dir>/.claude for the project and local settings", "(default: the current directory)"})
  Path project;

  Path settingsFile(Scope scope, Map<String, String> env) {
    return switch (scope) {
      case USER -> userDirectory(env).resolve("settings.json");
      case PROJECT -> projectDirectory().resolve(".claude").resolve("settings.json");
      case LOCAL -> projectDirectory().resolve(".claude").resolve("settings.local.json");
    };
  }

  /** Every settings file, user scope first. */
  List<Path> settingsFiles(Map<String, String> env) {
    return List.of(settingsFile(Scope.USER, env), settingsFile(Scope.PROJECT, env), settingsFile(Scope.LOCAL, env));
  }

  /** The directory that holds the user-scope {@code settings.json}. */
  Path userDirectory(Map<String, String> env) {
    if (home != null) {
      return home.resolve(".claude");
    }
    String property = System.getProperty("hookbus.home");
    if (property != null) {
      return Path.of(property).resolve(".claude");
    }
    String configDir = env.get("CLAUDE_CONFIG_DIR");
    if (configDir != null && !configDir.isBlank()) {
      return Path.of(configDir);
    }
    String homeVariable = env.get("HOME");
    String homeDirectory = homeVariable != null && !homeVariable.isBlank() ? homeVariable
        : System.getProperty("user.home");
    return Path.of(homeDirectory).resolve(".claude");
  }

  private Path projectDirectory() {
    return project != null ? project : Path.of(System.getProperty("hookbus.project", System.getProperty("user.dir")));
  }
}
