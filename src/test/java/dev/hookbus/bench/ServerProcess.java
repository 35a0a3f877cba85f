package dev.hookbus.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * hookbus started from its jar as a separate process, on free loopback ports, with a temp working directory
 * (so its data dir and any relative path land there) and a temp config naming only the ports.
 */
public final class ServerProcess implements Target {
  private final Process process;
  private final Path workDir;
  private final int ingestPort;
  private final int bridgePort;

  private ServerProcess(Process process, Path workDir, int ingestPort, int bridgePort) {
    this.process = process;
    this.workDir = workDir;
    this.ingestPort = ingestPort;
    this.bridgePort = bridgePort;
  }

  public static ServerProcess start(String jar, String jvmOpts, String env) throws IOException, InterruptedException {
    Path jarPath = Path.of(jar).toAbsolutePath();
    if (!Files.exists(jarPath)) {
      throw new IllegalStateException(jarPath + " does not exist; build it with mvn -DskipTests package");
    }
    int ingest = freePort();
    int bridge = freePort();
    Path dir = Files.createTempDirectory("hookbus-bench");
    Path conf = dir.resolve("config.json");
    Files.writeString(conf, "{\"ingest\":{\"host\":\"127.0.0.1\",\"port\":" + ingest + "},"
        + "\"bridge\":{\"host\":\"127.0.0.1\",\"port\":" + bridge + "}}");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (!jvmOpts.isBlank()) {
      command.addAll(Arrays.asList(jvmOpts.trim().split("\\s+")));
    }
    command.addAll(List.of("-jar", jarPath.toString(), "-conf", conf.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("hookbus.log").toFile());
    for (String pair : env.trim().split("\\s+")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        builder.environment().put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    Process process = builder.start();
    ServerProcess server = new ServerProcess(process, dir, ingest, bridge);
    server.awaitReady();
    return server;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Polls both /health endpoints until they answer (a child process has no event to wait on). */
  private void awaitReady() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (int port : new int[] {bridgePort, ingestPort}) {
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException("hookbus exited: " + Files.readString(workDir.resolve("hookbus.log")));
        }
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
              .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            break;
          }
        } catch (IOException e) {
          // not listening yet
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("hookbus did not answer /health on " + port);
        }
        Thread.sleep(50);
      }
    }
  }

  @Override
  public int ingestPort() {
    return ingestPort;
  }

  @Override
  public int bridgePort() {
    return bridgePort;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public boolean fullGc() {
    try {
      Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid()), "GC.run").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return jcmd.waitFor(30, TimeUnit.SECONDS) && jcmd.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public Path log() {
    return workDir.resolve("hookbus.log");
  }

  /** Stops hookbus and removes its working directory (journal and log). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(workDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind
    }
  }
}
