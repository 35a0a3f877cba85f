package dev.hookbus.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The seed design's server ({@code ../shared/peer-seed-socketio}: Bun + Socket.IO) as the benchmark's other target.
 * Its directory is read-only, so it is copied to {@code target/peer-seed-socketio} and installed there with
 * {@code npm ci} (the package {@code bun} brings the runtime). Bun is started directly, so the process's pid is
 * Bun's own and {@code /proc} gives its CPU and RSS. One port serves {@code POST /api/events} and Socket.IO.
 */
final class PeerProcess implements Target {
  static final Path INSTALLED = Path.of("target", "peer-seed-socketio");
  private static final long START_SECONDS = 60;

  private final Process process;
  private final int port;

  private PeerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static PeerProcess start(Path source) throws IOException, InterruptedException {
    install(source);
    int port = freePort();
    Path logFile = Path.of("target", "bench", "peer.log");
    Files.createDirectories(logFile.getParent());
    ProcessBuilder builder = new ProcessBuilder(INSTALLED.resolve("node_modules/.bin/bun").toAbsolutePath().toString(),
        "src/server.ts").directory(INSTALLED.toFile()).redirectError(logFile.toFile());
    builder.environment().put("PORT", Integer.toString(port));
    builder.environment().put("HOST", "127.0.0.1");
    builder.environment().remove("LOG");
    Process process = builder.start();
    CompletableFuture<Void> listening = new CompletableFuture<>();
    Thread reader = new Thread(() -> read(process, listening), "peer-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      listening.get(START_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("the peer did not start (" + e + "): " + Files.readString(logFile), e);
    }
    return new PeerProcess(process, port);
  }

  /** Copies the peer's sources (not its node_modules) and runs {@code npm ci} when the lock file changed. */
  private static synchronized void install(Path source) throws IOException, InterruptedException {
    Path lock = source.resolve("package-lock.json");
    if (!Files.isRegularFile(lock)) {
      throw new IOException("no peer at " + source + " (--peer-dir)");
    }
    Path installedLock = INSTALLED.resolve("package-lock.json");
    boolean fresh = Files.isRegularFile(installedLock) && Files.isDirectory(INSTALLED.resolve("node_modules"))
        && Files.mismatch(lock, installedLock) == -1;
    try (Stream<Path> files = Files.walk(source)) {
      files.filter(p -> !source.relativize(p).toString().startsWith("node_modules")).forEach(p -> {
        Path to = INSTALLED.resolve(source.relativize(p).toString());
        try {
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    if (!fresh) {
      Npm.ci(INSTALLED, Path.of("target", "bench", "npm-peer.log"));
    }
  }

  private static void read(Process process, CompletableFuture<Void> listening) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.contains("listening")) {
          listening.complete(null);
        }
      }
    } catch (IOException e) {
      listening.completeExceptionally(e);
    }
    listening.completeExceptionally(new IllegalStateException("the peer exited"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public String kind() {
    return "peer";
  }

  @Override
  public int ingestPort() {
    return port;
  }

  @Override
  public int bridgePort() {
    return port;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
