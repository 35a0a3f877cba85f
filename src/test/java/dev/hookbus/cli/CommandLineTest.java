package dev.hookbus.cli;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line through picocli, in-process: help, version, bad input, the server's options, where settings go. */
class CommandLineTest {
  @TempDir
  Path temp;

  private final CliRunner cli = new CliRunner();

  @Test
  @DisplayName("--help, -h and help list every command with its options on stdout and exit 0")
  void help() {
    for (String[] args : List.of(new String[] {"--help"}, new String[] {"-h"}, new String[] {"help"})) {
      cli.reset();
      assertThat(cli.run(args)).as(String.join(" ", args)).isZero();
      assertThat(cli.out()).startsWith("Usage: hookbus ")
          .contains("serve ", "hooks install ", "hooks uninstall ", "hooks print ", "statusline install ",
              "statusline uninstall ", "doctor ", "help ")
          .contains("-conf", "-cluster", "-ports-file", "--scope user|project|local", "--url <url>",
              "--token-env <var>", "--bridge-url <url>", "--home <dir>", "--project <dir>", "--version");
      assertThat(cli.err()).isEmpty();
    }
    assertThat(cli.served).isEmpty();
  }

  @Test
  @DisplayName("every command has its own help on stdout, exit 0")
  void commandHelp() {
    for (String command : List.of("serve", "hooks", "hooks install", "hooks uninstall", "hooks print",
        "statusline", "statusline install", "statusline uninstall", "doctor")) {
      cli.reset();
      String[] args = (command + " --help").split(" ");
      assertThat(cli.run(args)).as(command).isZero();
      assertThat(cli.out()).as(command).startsWith("Usage: hookbus " + command + " ");
      assertThat(cli.err()).isEmpty();
    }
    cli.reset();
    assertThat(cli.run("help", "doctor")).isZero();
    assertThat(cli.out()).startsWith("Usage: hookbus doctor ").contains("--bridge-url");
    assertThat(cli.served).isEmpty();
  }

  @Test
  @DisplayName("--version and -V print the version from the build")
  void version() {
    assertThat(cli.run("--version")).isZero();
    assertThat(cli.out().trim()).matches("hookbus \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    String printed = cli.out();
    cli.reset();
    assertThat(cli.run("-V")).isZero();
    assertThat(cli.out()).isEqualTo(printed);
    assertThat(cli.err()).isEmpty();
  }

  @Test
  @DisplayName("an unknown option, command or value exits 2: one line on stderr, then the usage, nothing on stdout")
  void badInput() {
    assertBad(new String[] {"--bogus"}, "hookbus: Unknown option: '--bogus'", "Usage: hookbus [");
    assertBad(new String[] {"bogus"}, "hookbus: Unmatched argument at index 0: 'bogus'", "Usage: hookbus [");
    assertBad(new String[] {"-clustr"}, "hookbus: Unknown option: '-clustr'", "Usage: hookbus [");
    assertBad(new String[] {"-conf"}, "hookbus: Missing required parameter for option '--conf' (<file>)",
        "Usage: hookbus [");
    assertBad(new String[] {"hooks"}, "hookbus: Missing required subcommand", "Usage: hookbus hooks ");
    assertBad(new String[] {"hooks", "instal"}, "hookbus: Unmatched argument at index 1: 'instal'",
        "Usage: hookbus hooks ");
    assertBad(new String[] {"hooks", "install", "--nope"}, "hookbus: Unknown option: '--nope'",
        "Usage: hookbus hooks install ");
    assertBad(new String[] {"hooks", "install", "--url", "localhost:3847"},
        "hookbus: Invalid value for option '--url': --url must start with http:// or https://, got localhost:3847",
        "Usage: hookbus hooks install ");
    assertBad(new String[] {"hooks", "print", "--token-env", "$TOKEN"},
        "hookbus: Invalid value for option '--token-env': --token-env takes an environment variable name, got $TOKEN",
        "Usage: hookbus hooks print ");
    assertBad(new String[] {"statusline", "install", "--scope", "team"},
        "hookbus: Invalid value for option '--scope': --scope must be user, project or local, not team",
        "Usage: hookbus statusline install ");
    assertBad(new String[] {"doctor", "extra"}, "hookbus: Unmatched argument at index 1: 'extra'",
        "Usage: hookbus doctor ");
    assertThat(cli.served).isEmpty();
  }

  private void assertBad(String[] args, String message, String usage) {
    cli.reset();
    assertThat(cli.run(args)).as(String.join(" ", args)).isEqualTo(2);
    List<String> lines = cli.err().lines().toList();
    assertThat(lines.get(0)).isEqualTo(message);
    assertThat(lines.get(1)).startsWith(usage);
    assertThat(cli.out()).isEmpty();
  }

  @Test
  @DisplayName("the server's options work with one dash or two, with = or a space, with or without the word serve")
  void serveOptions() {
    assertServes(new ServeOptions(null, null, false));
    assertServes(new ServeOptions(null, null, false), "serve");
    assertServes(new ServeOptions("a.json", null, true), "-cluster", "-conf", "a.json");
    assertServes(new ServeOptions("b.json", "p.json", true), "--conf=b.json", "--cluster", "-ports-file", "p.json");
    assertServes(new ServeOptions("c.json", "q.json", false), "-conf=c.json", "--ports-file", "q.json");
    assertServes(new ServeOptions("d.json", "r.json", true), "serve", "-conf", "d.json", "-ports-file=r.json",
        "--cluster");
    assertServes(new ServeOptions("e.json", "s.json", true), "-conf", "e.json", "--cluster", "serve",
        "--ports-file=s.json");
    assertServes(new ServeOptions("last.json", null, false), "-conf", "first.json", "-conf", "last.json");
  }

  private void assertServes(ServeOptions expected, String... args) {
    cli.served.clear();
    cli.reset();
    assertThat(cli.run(args)).as(String.join(" ", args)).isEqualTo(Cli.SERVING);
    assertThat(cli.served).containsExactly(expected);
    assertThat(cli.out() + cli.err()).isEmpty();
  }

  @Test
  @DisplayName("user settings follow $HOME, then $CLAUDE_CONFIG_DIR, then --home: for hooks, statusline and doctor")
  void settingsFollowTheEnvironment() throws Exception {
    Path home = Files.createDirectories(temp.resolve("home"));
    Path configDir = temp.resolve("config-dir");
    Path optionHome = Files.createDirectories(temp.resolve("option-home"));

    CliRunner withHome = new CliRunner(Map.of("HOME", home.toString()));
    assertThat(withHome.run("hooks", "install")).isZero();
    assertThat(home.resolve(".claude/settings.json")).exists();
    assertThat(withHome.out()).contains("wrote " + home.resolve(".claude/settings.json"));

    CliRunner withConfigDir = new CliRunner(Map.of("HOME", home.toString(), "CLAUDE_CONFIG_DIR",
        configDir.toString()));
    assertThat(withConfigDir.run("statusline", "install")).isZero();
    assertThat(configDir.resolve("settings.json")).exists();
    assertThat(new JsonObject(Files.readString(configDir.resolve("settings.json"))).containsKey("statusLine"))
        .isTrue();
    assertThat(new JsonObject(Files.readString(home.resolve(".claude/settings.json"))).containsKey("statusLine"))
        .isFalse();

    assertThat(withConfigDir.run("hooks", "install", "--home", optionHome.toString())).isZero();
    assertThat(optionHome.resolve(".claude/settings.json")).exists();
    assertThat(new JsonObject(Files.readString(configDir.resolve("settings.json"))).containsKey("hooks")).isFalse();

    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    withConfigDir.reset();
    assertThat(withConfigDir.run("doctor", "--url", "http://127.0.0.1:" + deadPort, "--bridge-url",
        "http://127.0.0.1:" + deadPort, "--project", temp.resolve("project").toString())).isEqualTo(1);
    assertThat(withConfigDir.out()).contains("FAIL  hooks installed", configDir.resolve("settings.json").toString())
        .doesNotContain(home.resolve(".claude").toString());
  }
}
