package dev.hookbus.support;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * hookbus as a separate JVM ({@code dev.hookbus.Hookbus} on this test's class path), for faults a process must
 * really suffer: kill -9, SIGTERM, exit codes. It learns its ports from the {@code -ports-file} hookbus writes once
 * it listens (watched, not polled), and keeps the process log in a file.
 */
public final class HookbusProcess {
  private final Process process;
  private final Path logFile;
  private final JsonObject ports;

  private HookbusProcess(Process process, Path logFile, JsonObject ports) {
    this.process = process;
    this.logFile = logFile;
    this.ports = ports;
  }

  /** Starts hookbus with {@code configJson}; returns once it listens, or once it exited. */
  public static HookbusProcess start(Path workDir, String configJson) throws IOException, InterruptedException {
    return start(workDir, configJson, Map.of());
  }

  /** The same, with environment variables for hookbus (its overrides: {@code PORT}, {@code HOOKBUS_…}). */
  public static HookbusProcess start(Path workDir, String configJson, Map<String, String> env)
      throws IOException, InterruptedException {
    return launch(workDir, configJson, env, List.of("-cp", System.getProperty("java.class.path"),
        "dev.hookbus.Hookbus"));
  }

  /** Starts the packaged jar as a user would: {@code java -jar <jar> <leadingArgs> -conf … -ports-file …}. */
  public static HookbusProcess startJar(Path jar, Path workDir, String configJson, String... leadingArgs)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("-jar", jar.toString()));
    command.addAll(List.of(leadingArgs));
    return launch(workDir, configJson, Map.of(), command);
  }

  private static HookbusProcess launch(Path workDir, String configJson, Map<String, String> env,
      List<String> javaArgs) throws IOException, InterruptedException {
    Path run = Files.createTempDirectory(workDir, "run");
    Path conf = Files.writeString(run.resolve("config.json"), configJson);
    Path portsFile = run.resolve("ports.json");
    Path log = run.resolve("hookbus.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      run.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
      command.addAll(javaArgs);
      command.addAll(List.of("-conf", conf.toString(), "-ports-file", portsFile.toString()));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(portsFile) && process.isAlive() && System.nanoTime() < deadline) {
        watch.poll(100, TimeUnit.MILLISECONDS);
      }
      JsonObject ports = Files.exists(portsFile) ? new JsonObject(Files.readString(portsFile)) : new JsonObject();
      return new HookbusProcess(process, log, ports);
    }
  }

  public int ingestPort() {
    return ports.getInteger("ingest", 0);
  }

  public int bridgePort() {
    return ports.getInteger("bridge", 0);
  }

  public boolean listening() {
    return ingestPort() != 0;
  }

  public String log() {
    try {
      return Files.readString(logFile);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  public void kill9() {
    process.destroyForcibly();
  }

  /** Ends the process if a failed test left it running. */
  public void destroyIfAlive() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  /** SIGTERM on Linux. */
  public void terminate() {
    process.destroy();
  }

  public int waitForExit() throws InterruptedException {
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("hookbus did not exit; log:\n" + log());
    }
    return process.exitValue();
  }
}
