package dev.hookbus.support;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Claude Code CLI ({@code src/test/claude/install.sh} installs the pinned version into a cache outside the
 * repository), run headless as {@code claude -p <prompt> --output-format json} against a {@link MockAnthropic}, in a
 * throwaway {@code HOME} whose user settings hold the hooks that hookbus's own {@code hooks install --scope user}
 * wrote there, run as a user would. Non-essential traffic is off; telemetry ({@code OTEL_*}) only when asked. Output
 * is kept in files in the run's directory; {@link #close()} kills what is still running.
 */
public final class ClaudeCodeProcess implements AutoCloseable {
  private static final Path INSTALL_SCRIPT = Path.of("src", "test", "claude", "install.sh");
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final Path dir;

  private ClaudeCodeProcess(Process process, Path dir) {
    this.process = process;
    this.dir = dir;
  }

  /** A headless session that starts with {@code prompt}. */
  public static Launch prompt(String prompt) {
    return new Launch(prompt);
  }

  /** What to run; {@code under}, {@code apiBaseUrl} and {@code hookbusUrl} are needed, the rest is optional. */
  public static final class Launch {
    private final String prompt;
    private Path parent;
    private String apiBaseUrl;
    private String hookbusUrl;
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();

    private Launch(String prompt) {
      this.prompt = prompt;
    }

    /** The run's home, temp and project directories are made under {@code parent} (a test's {@code @TempDir}). */
    public Launch under(Path parent) {
      this.parent = parent;
      return this;
    }

    /** Where the Messages API is: a {@link MockAnthropic}'s base URL. */
    public Launch apiBaseUrl(String url) {
      this.apiBaseUrl = url;
      return this;
    }

    /** hookbus's ingest URL, as {@code hooks install --url} takes it ({@code http://127.0.0.1:<port>}). */
    public Launch hookbusUrl(String url) {
      this.hookbusUrl = url;
      return this;
    }

    /** {@code --allowedTools <tools>}: these tools run without asking (otherwise a PermissionRequest fires). */
    public Launch allowedTools(String tools) {
      args.addAll(List.of("--allowedTools", tools));
      return this;
    }

    /** Further {@code claude} arguments. */
    public Launch args(String... more) {
      args.addAll(List.of(more));
      return this;
    }

    /** Claude Code's OpenTelemetry export to {@code endpoint} over OTLP/HTTP with JSON, logs and metrics. */
    public Launch telemetry(String endpoint) {
      env.put("CLAUDE_CODE_ENABLE_TELEMETRY", "1");
      env.put("OTEL_METRICS_EXPORTER", "otlp");
      env.put("OTEL_LOGS_EXPORTER", "otlp");
      env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json");
      env.put("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint);
      env.put("OTEL_METRIC_EXPORT_INTERVAL", "1000");
      env.put("OTEL_LOGS_EXPORT_INTERVAL", "500");
      return this;
    }

    public Launch env(String key, String value) {
      env.put(key, value);
      return this;
    }

    /** Installs Claude Code if needed, installs hookbus's hooks into the fresh home, and starts the session. */
    public ClaudeCodeProcess start() throws IOException, InterruptedException {
      if (parent == null || apiBaseUrl == null || hookbusUrl == null) {
        throw new IllegalStateException("under, apiBaseUrl and hookbusUrl are needed");
      }
      Path claude = installedClaude();
      Path dir = Files.createTempDirectory(parent, "claude");
      Path home = Files.createDirectories(dir.resolve("home"));
      Path project = Files.createDirectories(dir.resolve("project"));
      Path tmp = Files.createDirectories(dir.resolve("tmp"));
      installHooks(home, dir);
      List<String> command = new ArrayList<>(List.of(claude.toString(), "-p", prompt, "--output-format", "json"));
      command.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile())
          .redirectOutput(dir.resolve("stdout.json").toFile()).redirectError(dir.resolve("stderr.txt").toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      Map<String, String> environment = builder.environment();
      // Only what a clean shell has: nothing of the developer's own Claude Code or telemetry set-up leaks in.
      environment.keySet().removeIf(key -> key.startsWith("CLAUDE") || key.startsWith("ANTHROPIC")
          || key.startsWith("OTEL_"));
      environment.put("HOME", home.toString());
      environment.put("CLAUDE_CODE_TMPDIR", tmp.toString());
      environment.put("ANTHROPIC_BASE_URL", apiBaseUrl);
      environment.put("ANTHROPIC_API_KEY", "sk-ant-test-hookbus-e2e");
      environment.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
      environment.putAll(env);
      return new ClaudeCodeProcess(builder.start(), dir);
    }

    /** {@code hookbus hooks install --scope user --url …} with {@code HOME} set to the run's home. */
    private void installHooks(Path home, Path dir) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>(hookbusCommand());
      command.addAll(List.of("hooks", "install", "--scope", "user", "--url", hookbusUrl));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("hooks-install.txt").toFile());
      builder.environment().remove("CLAUDE_CONFIG_DIR");
      builder.environment().put("HOME", home.toString());
      run(builder, CLI_TIMEOUT, "hookbus hooks install", dir.resolve("hooks-install.txt"));
    }
  }

  /** The packaged jar when the build made one (as a user runs it), else this JVM's class path. */
  private static List<String> hookbusCommand() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path jar = Path.of(System.getProperty("hookbus.jar", "target/hookbus.jar"));
    return Files.isRegularFile(jar) ? List.of(java, "-jar", jar.toString())
        : List.of(java, "-cp", System.getProperty("java.class.path"), "dev.hookbus.Hookbus");
  }

  /** Runs the install script (a no-op once the cache holds the version) and returns the {@code claude} it names. */
  static Path installedClaude() throws IOException, InterruptedException {
    Path log = Files.createTempFile("claude-install", ".txt");
    try {
      ProcessBuilder builder = new ProcessBuilder("bash", INSTALL_SCRIPT.toString())
          .redirectOutput(log.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
      run(builder, INSTALL_TIMEOUT, INSTALL_SCRIPT.toString(), log);
      List<String> lines = Files.readAllLines(log);
      Path claude = Path.of(lines.get(lines.size() - 1).trim());
      if (!Files.isExecutable(claude)) {
        throw new IllegalStateException(INSTALL_SCRIPT + " named " + claude + ", which is not executable");
      }
      return claude;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static void run(ProcessBuilder builder, Duration timeout, String what, Path output)
      throws IOException, InterruptedException {
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(what + " did not finish within " + timeout);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(what + " exited " + process.exitValue() + ": " + Files.readString(output));
    }
  }

  /** Waits for the session to end (at most two minutes, then kills it and fails) and returns the exit code. */
  public int waitForExit() throws InterruptedException {
    if (!process.waitFor(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("claude did not exit within " + RUN_TIMEOUT + "; stderr:\n" + stderr());
    }
    return process.exitValue();
  }

  public boolean running() {
    return process.isAlive();
  }

  /** The {@code --output-format json} result: {@code result}, {@code session_id}, {@code permission_denials}, …. */
  public JsonObject result() {
    return new JsonObject(read("stdout.json"));
  }

  public String stdout() {
    return read("stdout.json");
  }

  public String stderr() {
    return read("stderr.txt");
  }

  /** The user settings file the session read, as hookbus's installer wrote it. */
  public JsonObject settings() {
    return new JsonObject(read("home/.claude/settings.json"));
  }

  public Path dir() {
    return dir;
  }

  private String read(String name) {
    try {
      return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(" + name + ": " + e + ")";
    }
  }

  /** Kills the session and whatever it started (its shell commands) if it is still running. */
  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
