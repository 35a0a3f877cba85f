package dev.hookbus.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * One Claude Code settings file: read it, write it with a backup of what was there first, and put the original
 * bytes back when an uninstall leaves exactly the JSON the backup holds.
 */
final class SettingsFile {
  static final String BACKUP_SUFFIX = ".hookbus-backup";

  final Path path;
  private final byte[] original;
  private final JsonObject json;

  private SettingsFile(Path path, byte[] original, JsonObject json) {
    this.path = path;
    this.original = original;
    this.json = json;
  }

  /** {@code user} → {@code <home>/.claude/settings.json}; {@code project}/{@code local} → under the project dir. */
  static Path locate(String scope, Path home, Path project) {
    return switch (scope) {
      case "user" -> home.resolve(".claude").resolve("settings.json");
      case "project" -> project.resolve(".claude").resolve("settings.json");
      case "local" -> project.resolve(".claude").resolve("settings.local.json");
      default -> throw new IllegalArgumentException("--scope must be user, project or local, not " + scope);
    };
  }

  static SettingsFile read(Path path) {
    try {
      if (!Files.exists(path)) {
        return new SettingsFile(path, null, new JsonObject());
      }
      byte[] bytes = Files.readAllBytes(path);
      String text = new String(bytes, StandardCharsets.UTF_8);
      JsonObject json = text.isBlank() ? new JsonObject() : new JsonObject(text);
      return new SettingsFile(path, bytes, json);
    } catch (DecodeException e) {
      throw new IllegalStateException(path + " is not valid JSON; fix it first (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean exists() {
    return original != null;
  }

  /** A copy to change; compare with {@link #unchanged(JsonObject)} before writing. */
  JsonObject json() {
    return json.copy();
  }

  boolean unchanged(JsonObject updated) {
    return updated.equals(json);
  }

  Path backupPath() {
    return path.resolveSibling(path.getFileName() + BACKUP_SUFFIX);
  }

  /**
   * Backs up the current bytes, then writes {@code updated}. A file that already holds hookbus entries is not
   * backed up over an existing backup: the one worth keeping is from before hookbus touched the file.
   */
  void write(JsonObject updated, boolean holdsHookbus) {
    try {
      Files.createDirectories(path.getParent());
      if (original != null && !(holdsHookbus && Files.exists(backupPath()))) {
        Files.write(backupPath(), original);
      }
      writeAtomically(JsonText.pretty(updated).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes what an uninstall leaves. When that is the JSON the backup holds, the backup's bytes go back as they
   * were (formatting and all); when it is empty and there was no file before hookbus, the file goes away.
   *
   * @return what happened, for the user
   */
  String writeRemoval(JsonObject updated) {
    try {
      Path backup = backupPath();
      if (Files.exists(backup)) {
        byte[] saved = Files.readAllBytes(backup);
        if (parses(saved, updated)) {
          writeAtomically(saved);
          Files.delete(backup);
          return "restored " + path + " byte for byte from " + backup.getFileName();
        }
      } else if (updated.isEmpty()) {
        Files.deleteIfExists(path);
        return "removed " + path + " (hookbus had created it)";
      }
      write(updated, true);
      return "wrote " + path + " (backup: " + backup.getFileName() + ")";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean parses(byte[] saved, JsonObject expected) {
    try {
      String text = new String(saved, StandardCharsets.UTF_8);
      return (text.isBlank() ? new JsonObject() : new JsonObject(text)).equals(expected);
    } catch (DecodeException e) {
      return false;
    }
  }

  private void writeAtomically(byte[] bytes) throws IOException {
    Files.createDirectories(path.getParent());
    Path temp = path.resolveSibling(path.getFileName() + ".hookbus-tmp");
    Files.write(temp, bytes);
    Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
