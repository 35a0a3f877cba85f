package dev.hookbus.cli;

import dev.hookbus.support.HookbusProcess;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged {@code target/hookbus.jar} run as a user runs it (failsafe runs this after {@code package}; the
 * pom passes the jar's path and the project version).
 */
class CommandLineJarIT {
  private static final Path JAR = Path.of(System.getProperty("hookbus.jar", "target/hookbus.jar"));

  @TempDir
  Path dir;

  private record Run(int exitCode, String out, String err) {
  }

  private Run jar(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Path workDir = Files.createDirectories(dir.resolve("cwd"));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("java -jar " + String.join(" ", args) + " did not exit");
    }
    return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("--help exits 0 with the commands on stdout; --version prints the pom's version")
  void helpAndVersion() throws Exception {
    Run help = jar(Map.of(), "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).startsWith("Usage: hookbus ").contains("serve ", "hooks install ", "hooks uninstall ",
        "hooks print ", "statusline install ", "doctor ");
    assertThat(help.err()).isEmpty();

    Run version = jar(Map.of(), "--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out().trim()).isEqualTo("hookbus " + System.getProperty("hookbus.version"));
  }

  @Test
  @DisplayName("an unknown command exits 2: one plain line on stderr, then the usage; no log lines")
  void unknownCommand() throws Exception {
    Run bogus = jar(Map.of(), "bogus");
    assertThat(bogus.exitCode()).isEqualTo(2);
    List<String> lines = bogus.err().lines().toList();
    assertThat(lines.get(0)).isEqualTo("hookbus: Unmatched argument at index 0: 'bogus'");
    assertThat(lines.get(1)).startsWith("Usage: hookbus ");
    assertThat(bogus.err()).doesNotContain("ERROR", "INFO");
    assertThat(bogus.out()).isEmpty();
  }

  @Test
  @DisplayName("HOME=<dir> hooks install writes <dir>/.claude/settings.json and nothing under the real home")
  void installFollowsHome() throws Exception {
    Path home = Files.createDirectories(dir.resolve("fakehome"));
    Path realSettings = Path.of(System.getProperty("user.home"), ".claude", "settings.json");
    String before = snapshot(realSettings);

    Run install = jar(Map.of("HOME", home.toString()), "hooks", "install");
    assertThat(install.exitCode()).as(install.err()).isZero();
    assertThat(home.resolve(".claude/settings.json")).content().contains("/api/hooks/claude");
    assertThat(files(dir)).filteredOn(f -> f.getFileName().toString().startsWith("settings"))
        .containsExactly(home.resolve(".claude/settings.json"));
    assertThat(snapshot(realSettings)).isEqualTo(before);

    Run uninstall = jar(Map.of("HOME", home.toString()), "hooks", "uninstall");
    assertThat(uninstall.out()).contains("removed hookbus's hooks from " + home.resolve(".claude/settings.json"));
    assertThat(home).isEmptyDirectory();
  }

  @Test
  @DisplayName("CLAUDE_CONFIG_DIR=<dir> hooks install writes <dir>/settings.json, not $HOME/.claude")
  void installFollowsClaudeConfigDir() throws Exception {
    Path home = Files.createDirectories(dir.resolve("fakehome"));
    Path configDir = dir.resolve("claude-config");
    Path realSettings = Path.of(System.getProperty("user.home"), ".claude", "settings.json");
    String before = snapshot(realSettings);

    Run install = jar(Map.of("HOME", home.toString(), "CLAUDE_CONFIG_DIR", configDir.toString()), "hooks",
        "install");
    assertThat(install.exitCode()).as(install.err()).isZero();
    assertThat(configDir.resolve("settings.json")).content().contains("/api/hooks/claude");
    assertThat(home).isEmptyDirectory();
    assertThat(files(dir)).filteredOn(f -> f.getFileName().toString().startsWith("settings"))
        .containsExactly(configDir.resolve("settings.json"));
    assertThat(snapshot(realSettings)).isEqualTo(before);
  }

  @Test
  @DisplayName("java -jar hookbus.jar -conf x.json starts the server, with or without the word serve")
  void serves() throws Exception {
    String config = "{\"ingest\":{\"port\":0},\"bridge\":{\"port\":0},\"store\":{\"path\":\""
        + dir.resolve("data") + "\"}}";
    for (String[] leading : List.of(new String[0], new String[] {"serve"})) {
      HookbusProcess hookbus = HookbusProcess.startJar(JAR, dir, config, leading);
      try {
        assertThat(hookbus.listening()).as(hookbus.log()).isTrue();
        hookbus.sigterm();
        assertThat(hookbus.waitForExit()).isZero();
      } finally {
        hookbus.destroyIfAlive();
      }
    }
  }

  private static String snapshot(Path file) throws IOException {
    return Files.exists(file) ? Files.getLastModifiedTime(file) + " " + Files.size(file) : "absent";
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).filter(f -> !f.startsWith(root.resolve("cwd"))).toList();
    }
  }
}
