package dev.hookbus.support;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * hookbus as a separate JVM, for what a process must really suffer (kill -9, SIGTERM, SIGSTOP, exit codes) and for
 * the benchmark. It runs {@code java [jvm options] -jar <jar> [args]} (or, in tests, where the jar is built only
 * after them, {@code dev.hookbus.Hookbus} on this JVM's class path) in a working directory of its own, learns the
 * ports from the {@code -ports-file} hookbus writes once it listens (watched, not polled), and keeps stdout and
 * stderr in {@code hookbus.log} there.
 */
public final class HookbusProcess implements AutoCloseable {
  /** The entry point when no jar is given; the jar's manifest names the same class. */
  private static final String MAIN_CLASS = "dev.hookbus.Hookbus";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Path workDir;
  private final boolean ownWorkDir;
  private final JsonObject ports;
  private volatile boolean frozen;

  private HookbusProcess(Process process, Path workDir, boolean ownWorkDir, JsonObject ports) {
    this.process = process;
    this.workDir = workDir;
    this.ownWorkDir = ownWorkDir;
    this.ports = ports;
  }

  public static Launch launch() {
    return new Launch();
  }

  /** Starts hookbus in a new directory under {@code parent} with {@code configJson}; returns once it listens or exited. */
  public static HookbusProcess start(Path parent, String configJson) throws IOException, InterruptedException {
    return launch().under(parent).config(configJson).start();
  }

  /** The same, with environment variables for hookbus (its overrides: {@code PORT}, {@code HOOKBUS_…}). */
  public static HookbusProcess start(Path parent, String configJson, Map<String, String> env)
      throws IOException, InterruptedException {
    return launch().under(parent).config(configJson).env(env).start();
  }

  /** Starts the packaged jar as a user would: {@code java -jar <jar> <leadingArgs> -conf … -ports-file …}. */
  public static HookbusProcess startJar(Path jar, Path parent, String configJson, String... leadingArgs)
      throws IOException, InterruptedException {
    return launch().jar(jar).under(parent).config(configJson).leadingArgs(leadingArgs).start();
  }

  /** What to start: every setting has a default, so {@code launch().start()} runs hookbus with its defaults. */
  public static final class Launch {
    private Path jar;
    private Path launcher;
    private Path parent;
    private String configJson;
    private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx256m"));
    private final List<String> args = new ArrayList<>();
    private final List<String> leadingArgs = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();

    private Launch() {
    }

    /** Runs {@code -jar jar} instead of this JVM's class path. */
    public Launch jar(Path jar) {
      this.jar = jar.toAbsolutePath();
      return this;
    }

    /** The working directory is created under {@code parent} and left there (a test's {@code @TempDir}). */
    public Launch under(Path parent) {
      this.parent = parent;
      return this;
    }

    /** Written to {@code config.json} in the working directory and passed as {@code -conf}. */
    public Launch config(String json) {
      this.configJson = json;
      return this;
    }

    /**
     * Starts through a launcher script (the README's {@code bin/hookbus}) instead of {@code java}: the JVM options go
     * to it as {@code HOOKBUS_JAVA_OPTS}, the jar is the one next to the script.
     */
    public Launch launcher(Path script) {
      this.launcher = script.toAbsolutePath();
      return this;
    }

    /** Replaces the JVM options (default {@code -Xmx256m}). */
    public Launch jvmOptions(List<String> options) {
      jvmOptions.clear();
      jvmOptions.addAll(options);
      return this;
    }

    /** Replaces the JVM options with the whitespace-separated {@code options} ({@code ""} for none). */
    public Launch jvmOptions(String options) {
      return jvmOptions(options.isBlank() ? List.of() : Arrays.asList(options.trim().split("\\s+")));
    }

    /** Arguments before {@code -conf}, e.g. the {@code serve} command. */
    public Launch leadingArgs(String... first) {
      leadingArgs.addAll(List.of(first));
      return this;
    }

    /** Further hookbus arguments, e.g. {@code -cluster}. */
    public Launch args(String... more) {
      args.addAll(List.of(more));
      return this;
    }

    public Launch env(Map<String, String> more) {
      env.putAll(more);
      return this;
    }

    /** Whitespace-separated {@code KEY=value} pairs, as the benchmark's {@code --server-env} takes them. */
    public Launch env(String pairs) {
      for (String pair : pairs.trim().split("\\s+")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          env.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
      return this;
    }

    /** Starts hookbus; returns once it wrote its ports file, or once it exited (then {@link #listening()} is false). */
    public HookbusProcess start() throws IOException, InterruptedException {
      if (jar != null && !Files.exists(jar)) {
        throw new IllegalStateException(jar + " does not exist; build it with mvn -DskipTests package");
      }
      Path dir = parent == null ? Files.createTempDirectory("hookbus-run") : Files.createTempDirectory(parent, "run");
      Path portsFile = dir.resolve("ports.json");
      List<String> command = new ArrayList<>();
      if (launcher != null) {
        command.add(launcher.toString());
        env.put("HOOKBUS_JAVA_OPTS", String.join(" ", jvmOptions));
        env.putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
      } else {
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
      }
      if (launcher != null) {
        // the launcher runs its own jar
      } else if (jar != null) {
        command.addAll(List.of("-jar", jar.toString()));
      } else {
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS));
      }
      command.addAll(leadingArgs);
      if (configJson != null) {
        command.addAll(List.of("-conf", Files.writeString(dir.resolve("config.json"), configJson).toString()));
      }
      command.addAll(List.of("-ports-file", portsFile.toString()));
      command.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(dir.resolve("hookbus.log").toFile());
      builder.environment().putAll(env);
      try (WatchService watch = FileSystems.getDefault().newWatchService()) {
        dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
        Process process = builder.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        // Each poll returns at the first file event; the bound only lets a process exit be noticed.
        while (!Files.exists(portsFile) && process.isAlive() && System.nanoTime() < deadline) {
          watch.poll(100, TimeUnit.MILLISECONDS);
        }
        JsonObject ports = Files.exists(portsFile) ? new JsonObject(Files.readString(portsFile)) : new JsonObject();
        return new HookbusProcess(process, dir, parent == null, ports);
      }
    }
  }

  public int ingestPort() {
    return ports.getInteger("ingest", 0);
  }

  public int bridgePort() {
    return ports.getInteger("bridge", 0);
  }

  /** True once hookbus wrote its ports: both ports listen and the state actor is up. */
  public boolean listening() {
    return ingestPort() != 0;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public Path workDir() {
    return workDir;
  }

  public Path logFile() {
    return workDir.resolve("hookbus.log");
  }

  /** Its threads now, as {@code jcmd <pid> Thread.print} prints them. */
  public String threadDump() throws IOException {
    return threadDump(pid());
  }

  /** Any JVM's threads now, from {@code jcmd <pid> Thread.print} (the JDK's jcmd, beside this JVM's java). */
  public static String threadDump(long pid) throws IOException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
        .redirectErrorStream(true).start();
    return new String(dump.getInputStream().readAllBytes());
  }

  /** stdout and stderr so far. */
  public String log() {
    try {
      return Files.readString(logFile());
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  public void kill9() {
    process.destroyForcibly();
  }

  /** SIGTERM (on Linux, what {@link Process#destroy()} sends): hookbus stops gracefully and exits 0. */
  public void sigterm() {
    process.destroy();
  }

  /** Freezes the process (SIGSTOP): it holds its sockets and locks but answers nothing. */
  public void sigstop() throws IOException, InterruptedException {
    signal("STOP");
    frozen = true;
  }

  /** Lets a frozen process go on (SIGCONT). */
  public void sigcont() throws IOException, InterruptedException {
    signal("CONT");
    frozen = false;
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid())).redirectErrorStream(true).start();
    String output = new String(kill.getInputStream().readAllBytes());
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -s " + name + " " + pid() + " failed: " + output);
    }
  }

  /** Waits for the exit (at most 30 s, then kills it and fails) and returns the exit code. */
  public int waitForExit() throws InterruptedException {
    return waitForExit(EXIT_TIMEOUT);
  }

  public int waitForExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("hookbus did not exit within " + timeout + "; log:\n" + log());
    }
    return process.exitValue();
  }

  /** Ends the process if a failed test left it running. */
  public void destroyIfAlive() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  /**
   * SIGTERM (SIGKILL for a frozen process, which would not act on it), then SIGKILL if it has not exited within
   * 15 s; removes the working directory when this launcher
   * created it outside a caller's directory.
   */
  @Override
  public void close() {
    if (frozen) {
      process.destroyForcibly();
    } else {
      process.destroy();
    }
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    if (ownWorkDir) {
      try (Stream<Path> files = Files.walk(workDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temp directory left behind
      }
    }
  }
}
