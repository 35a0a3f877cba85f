package dev.hookbus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hookbus under test: its ports and the process it runs in. CPU and RSS come from {@code /proc}, so they are
 * only meaningful when hookbus has a process of its own ({@link ServerProcess}); in-process they are the test JVM's.
 */
public interface Target extends AutoCloseable {
  /** {@code hookbus}, or {@code peer} for the seed design's server ({@link PeerProcess}). */
  default String kind() {
    return "hookbus";
  }

  int ingestPort();

  int bridgePort();

  long pid();

  /** Asks the server JVM for a full GC, so a heap reading after it is the live set; false if that is not possible. */
  default boolean fullGc() {
    return false;
  }

  @Override
  default void close() {
  }

  /** User plus system CPU seconds the process has used so far ({@code /proc/<pid>/stat}), or -1. */
  default double cpuSeconds() {
    return Probe.cpuSeconds(pid());
  }

  /** Resident set size in bytes ({@code VmRSS} of {@code /proc/<pid>/status}), or -1. */
  default long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone
    }
    return -1;
  }
}
