package dev.hookbus.cli;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * One install or uninstall on one settings file, told to the person at the terminal: each change, then what
 * happened to the file. The edits themselves are pure functions on the JSON ({@link HooksInstaller},
 * {@link StatusLineInstaller}).
 */
final class SettingsEdit {
  private final PrintWriter out;
  private final SettingsFile file;
  /** "hooks" or "status line", as the messages name it. */
  private final String what;

  SettingsEdit(PrintWriter out, Path path, String what) {
    this.out = out;
    this.file = SettingsFile.read(path);
    this.what = what;
  }

  /** @param edit changes the settings in place and returns one line per change */
  int install(Function<JsonObject, List<String>> edit) {
    JsonObject settings = file.json();
    boolean hadHookbus = holdsHookbus(settings);
    List<String> changes = edit.apply(settings);
    if (changes.isEmpty() || file.unchanged(settings)) {
      out.println(file.path + ": nothing to change (hookbus's " + what + " already installed)");
      return 0;
    }
    changes.forEach(out::println);
    file.write(settings, hadHookbus);
    out.println("wrote " + file.path + (file.exists() ? " (backup: " + file.backupPath().getFileName() + ")" : ""));
    return 0;
  }

  int uninstall(Function<JsonObject, List<String>> edit) {
    JsonObject settings = file.json();
    List<String> changes = edit.apply(settings);
    if (changes.isEmpty() || file.unchanged(settings)) {
      out.println("nothing to remove in " + file.path);
      return 0;
    }
    changes.forEach(out::println);
    String outcome = file.writeRemoval(settings, holdsHookbus(settings));
    out.println("removed hookbus's " + what + " from " + file.path + "; " + outcome);
    return 0;
  }

  /** Anything of hookbus's in the file: hooks or the status line. */
  private static boolean holdsHookbus(JsonObject settings) {
    return HooksInstaller.holdsOurs(settings) || StatusLineInstaller.isOurs(settings) || OtelInstaller.isOurs(settings);
  }
}
