package dev.hookbus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@code npm ci} for the benchmark's own Node packages. */
final class Npm {
  private Npm() {
  }

  static void ci(Path dir, Path logFile) throws IOException, InterruptedException {
    Files.createDirectories(logFile.getParent());
    Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
      npm.destroyForcibly();
      throw new IOException("npm ci in " + dir + " failed, see " + logFile + ": " + Files.readString(logFile));
    }
  }
}
