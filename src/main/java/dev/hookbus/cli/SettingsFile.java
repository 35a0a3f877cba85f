package dev.hookbus.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * One Claude Code settings file: read it, write it with a backup of what was there first, and put the original
 * bytes back when an uninstall leaves exactly the JSON the backup holds. The backup exists only while the file holds
 * something of hookbus's; a directory hookbus had to create for the file is marked, so that uninstall can remove it
 * again once nothing else is in it.
 */
final class SettingsFile {
  static final String BACKUP_SUFFIX = ".hookbus-backup";
  /** In a directory hookbus created; never in one that was there before. */
  static final String CREATED_MARK = ".hookbus-created";

  final Path path;
  private final byte[] original;
  private final JsonObject json;

  private SettingsFile(Path path, byte[] original, JsonObject json) {
    this.path = path;
    this.original = original;
    this.json = json;
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
      createDirectoryIfMissing();
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
   * were (formatting and all); when it is empty and there was no file before hookbus, the file goes away, and so
   * does its directory if hookbus created it and nothing else is in it. The backup goes once the file holds nothing
   * of hookbus's any more: the user's later edits are in the file, and the next install backs up afresh.
   *
   * @param stillHoldsHookbus whether {@code updated} still has hookbus entries (the other of hooks and status line)
   * @return what happened to the file, for the user
   */
  String writeRemoval(JsonObject updated, boolean stillHoldsHookbus) {
    try {
      Path backup = backupPath();
      if (Files.exists(backup)) {
        byte[] saved = Files.readAllBytes(backup);
        if (parses(saved, updated)) {
          writeAtomically(saved);
          Files.delete(backup);
          return "restored it byte for byte from " + backup.getFileName();
        }
        writeAtomically(JsonText.pretty(updated).getBytes(StandardCharsets.UTF_8));
        if (stillHoldsHookbus) {
          return "kept " + backup.getFileName() + " for hookbus's other entries";
        }
        Files.delete(backup);
        return "kept your later changes; deleted " + backup.getFileName();
      }
      if (updated.isEmpty()) {
        Files.deleteIfExists(path);
        return "deleted the file, which hookbus had created" + (removeDirectoryIfOursAndEmpty()
            ? ", and " + path.getParent() + ", which it had created too" : "");
      }
      writeAtomically(JsonText.pretty(updated).getBytes(StandardCharsets.UTF_8));
      return "kept the rest of the file";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void createDirectoryIfMissing() throws IOException {
    Path directory = path.getParent();
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory);
      Files.writeString(directory.resolve(CREATED_MARK),
          "hookbus created this directory for " + path.getFileName() + "; uninstalling hookbus removes it when"
              + " nothing else is left in it.\n");
    }
  }

  /** Removes the file's directory when hookbus's mark is the only thing left in it. */
  private boolean removeDirectoryIfOursAndEmpty() throws IOException {
    Path directory = path.getParent();
    Path mark = directory.resolve(CREATED_MARK);
    if (!Files.exists(mark)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(directory)) {
      if (entries.anyMatch(entry -> !entry.equals(mark))) {
        return false;
      }
    }
    Files.delete(mark);
    Files.delete(directory);
    return true;
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
    createDirectoryIfMissing();
    Path temp = path.resolveSibling(path.getFileName() + ".hookbus-tmp");
    Files.write(temp, bytes);
    Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
