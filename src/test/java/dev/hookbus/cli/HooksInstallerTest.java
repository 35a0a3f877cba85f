package dev.hookbus.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hooks install/uninstall} and {@code statusline install/uninstall} on real files in a temp home. */
class HooksInstallerTest {
  /** A user's settings as they really look: odd formatting, own hooks on shared events, other settings. */
  private static final String USER_SETTINGS = """
      {
          "model": "opus",
          "permissions": { "allow": ["Bash(npm test:*)"], "deny": [] },
          "hooks": {
              "PreToolUse": [
                  { "matcher": "Bash", "hooks": [ { "type": "command", "command": "~/bin/guard.sh", "timeout": 5 } ] }
              ],
              "Stop": [ { "hooks": [ { "type": "command", "command": "say done" } ] } ],
              "WorktreeCreate": [ { "hooks": [ { "type": "command", "command": "~/bin/mkwt.sh" } ] } ]
          },
          "statusLine": { "type": "command", "command": "~/bin/my-status.sh", "padding": 1 },
          "env": { "FOO": "bär ✓" }
      }
      """;

  @TempDir
  Path home;

  private final CliRunner cli = new CliRunner();

  private int cli(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--home";
    all[args.length + 1] = home.toString();
    return cli.run(all);
  }

  private Path settings() {
    return home.resolve(".claude/settings.json");
  }

  private JsonObject json() throws Exception {
    return new JsonObject(Files.readString(settings()));
  }

  private void writeUserSettings() throws Exception {
    Files.createDirectories(settings().getParent());
    Files.writeString(settings(), USER_SETTINGS);
  }

  @Test
  @DisplayName("install merges hookbus hooks next to the user's, keeps every setting, and backs up first")
  void installMerges() throws Exception {
    writeUserSettings();
    assertThat(cli("hooks", "install", "--url", "http://127.0.0.1:9999")).isZero();
    JsonObject settings = json();
    assertThat(settings.getString("model")).isEqualTo("opus");
    assertThat(settings.getJsonObject("env").getString("FOO")).isEqualTo("bär ✓");
    JsonArray pre = settings.getJsonObject("hooks").getJsonArray("PreToolUse");
    assertThat(pre).hasSize(2);
    assertThat(pre.getJsonObject(0).getString("matcher")).isEqualTo("Bash");
    assertThat(pre.getJsonObject(1).getJsonArray("hooks").getJsonObject(0).getMap())
        .containsEntry("type", "http").containsEntry("url", "http://127.0.0.1:9999/api/hooks/claude")
        .containsEntry("timeout", 2);
    JsonObject start = settings.getJsonObject("hooks").getJsonArray("SessionStart").getJsonObject(0)
        .getJsonArray("hooks").getJsonObject(0);
    assertThat(start.getString("type")).isEqualTo("command");
    assertThat(start.getBoolean("async")).isTrue();
    assertThat(start.getString("command")).contains("curl", "--max-time 1", "|| true", "/api/hooks/claude");
    assertThat(settings.getJsonObject("hooks").getJsonArray("WorktreeCreate")).hasSize(1);
    assertThat(settings.getJsonObject("hooks").containsKey("MessageDisplay")).isFalse();
    assertThat(Files.readString(settings().resolveSibling("settings.json.hookbus-backup"))).isEqualTo(USER_SETTINGS);
    assertThat(cli.out()).contains("+ added PreToolUse", "backup");
  }

  @Test
  @DisplayName("install twice changes nothing the second time")
  void idempotent() throws Exception {
    writeUserSettings();
    cli("hooks", "install");
    byte[] after = Files.readAllBytes(settings());
    cli.reset();
    assertThat(cli("hooks", "install")).isZero();
    assertThat(Files.readAllBytes(settings())).isEqualTo(after);
    assertThat(cli.out()).contains("nothing to change");
  }

  @Test
  @DisplayName("install with another URL updates hookbus hooks in place, without duplicates")
  void reinstallOtherUrl() throws Exception {
    writeUserSettings();
    cli("hooks", "install");
    cli("hooks", "install", "--url", "http://10.0.0.2:3847/");
    JsonArray pre = json().getJsonObject("hooks").getJsonArray("PreToolUse");
    assertThat(pre).hasSize(2);
    assertThat(pre.encode()).contains("http://10.0.0.2:3847/api/hooks/claude").doesNotContain("127.0.0.1");
  }

  @Test
  @DisplayName("uninstall restores the original byte for byte when nothing else changed")
  void uninstallRestoresBytes() throws Exception {
    writeUserSettings();
    cli("hooks", "install");
    cli("hooks", "install");
    assertThat(cli("hooks", "uninstall")).isZero();
    assertThat(Files.readString(settings())).isEqualTo(USER_SETTINGS);
    assertThat(settings().resolveSibling("settings.json.hookbus-backup")).doesNotExist();
  }

  @Test
  @DisplayName("uninstall after the user changed something removes exactly hookbus's hooks and keeps the change")
  void uninstallKeepsLaterChanges() throws Exception {
    writeUserSettings();
    cli("hooks", "install");
    JsonObject changed = json().put("theme", "dark");
    Files.writeString(settings(), changed.encodePrettily());
    cli.reset();
    cli("hooks", "uninstall");
    JsonObject expected = new JsonObject(USER_SETTINGS).put("theme", "dark");
    assertThat(json()).isEqualTo(expected);
    assertThat(settings().resolveSibling("settings.json.hookbus-backup")).doesNotExist();
    assertThat(cli.out()).contains("removed hookbus's hooks from " + settings())
        .contains("deleted settings.json.hookbus-backup").doesNotContain("wrote");
  }

  @Test
  @DisplayName("the backup stays while the status line still holds hookbus's; the last uninstall deletes it")
  void backupStaysForTheOtherEntry() throws Exception {
    writeUserSettings();
    cli("hooks", "install");
    cli("statusline", "install");
    Files.writeString(settings(), json().put("theme", "dark").encodePrettily());
    cli("hooks", "uninstall");
    assertThat(settings().resolveSibling("settings.json.hookbus-backup")).hasContent(USER_SETTINGS);
    cli("statusline", "uninstall");
    assertThat(json()).isEqualTo(new JsonObject(USER_SETTINGS).put("theme", "dark"));
    assertThat(settings().resolveSibling("settings.json.hookbus-backup")).doesNotExist();
    cli("hooks", "install");
    assertThat(settings().resolveSibling("settings.json.hookbus-backup")).content()
        .contains("\"theme\": \"dark\"");
  }

  @Test
  @DisplayName("uninstall with nothing of hookbus's says so and touches nothing")
  void nothingToRemove() throws Exception {
    writeUserSettings();
    assertThat(cli("hooks", "uninstall")).isZero();
    assertThat(cli.out().trim()).isEqualTo("nothing to remove in " + settings());
    assertThat(Files.readString(settings())).isEqualTo(USER_SETTINGS);
    assertThat(cli("statusline", "uninstall")).isZero();
    assertThat(settings().resolveSibling("settings.json.hookbus-backup")).doesNotExist();
  }

  @Test
  @DisplayName("a project-scope uninstall removes the .claude/ hookbus created, once nothing else is in it")
  void projectDirectoryCleanedUp() throws Exception {
    Path project = Files.createDirectories(home.resolve("proj"));
    Path claude = project.resolve(".claude");
    cli("hooks", "install", "--scope", "project", "--project", project.toString());
    cli("hooks", "install", "--scope", "local", "--project", project.toString());
    cli.reset();
    cli("hooks", "uninstall", "--scope", "project", "--project", project.toString());
    assertThat(claude.resolve("settings.json")).doesNotExist();
    assertThat(claude).isDirectory();
    assertThat(cli.out()).contains("removed hookbus's hooks from " + claude.resolve("settings.json"));
    cli.reset();
    cli("hooks", "uninstall", "--scope", "local", "--project", project.toString());
    assertThat(claude).doesNotExist();
    assertThat(project).isDirectory();
    assertThat(cli.out()).contains("deleted the file, which hookbus had created, and " + claude);
  }

  @Test
  @DisplayName("a .claude/ with other files, or one that was there before hookbus, stays")
  void foreignDirectoriesStay() throws Exception {
    Path project = Files.createDirectories(home.resolve("proj"));
    Path claude = project.resolve(".claude");
    cli("hooks", "install", "--scope", "project", "--project", project.toString());
    Files.writeString(Files.createDirectories(claude.resolve("agents")).resolve("reviewer.md"), "# mine");
    cli("hooks", "uninstall", "--scope", "project", "--project", project.toString());
    assertThat(claude.resolve("agents/reviewer.md")).hasContent("# mine");
    assertThat(claude.resolve("settings.json")).doesNotExist();

    Path other = Files.createDirectories(home.resolve("other/.claude"));
    cli("hooks", "install", "--scope", "project", "--project", other.getParent().toString());
    cli("hooks", "uninstall", "--scope", "project", "--project", other.getParent().toString());
    assertThat(other).isDirectory().isEmptyDirectory();
  }

  @Test
  @DisplayName("install into a missing file creates it; uninstall removes it again")
  void missingFile() throws Exception {
    assertThat(cli("hooks", "install", "--scope", "user")).isZero();
    assertThat(json().getJsonObject("hooks").fieldNames()).hasSize(31);
    cli("hooks", "uninstall");
    assertThat(settings()).doesNotExist();
  }

  @Test
  @DisplayName("project and local scopes write under the project directory")
  void scopes() throws Exception {
    Path project = Files.createDirectories(home.resolve("proj"));
    cli.run("hooks", "install", "--scope", "local", "--project", project.toString());
    cli.run("hooks", "install", "--scope", "project", "--project", project.toString());
    assertThat(project.resolve(".claude/settings.local.json")).exists();
    assertThat(project.resolve(".claude/settings.json")).exists();
    assertThat(cli.run("hooks", "install", "--scope", "team")).isEqualTo(2);
    assertThat(cli.err()).startsWith("hookbus: ").contains("--scope must be user, project or local, not team");
  }

  @Test
  @DisplayName("hooks print shows the JSON and writes nothing")
  void print() {
    assertThat(cli.run("hooks", "print")).isZero();
    JsonObject printed = new JsonObject(cli.out());
    assertThat(printed.getJsonObject("hooks").containsKey("PreToolUse")).isTrue();
    assertThat(settings()).doesNotExist();
  }

  @Test
  @DisplayName("statusline install wraps the user's command; uninstall puts it back byte for byte")
  void statusLine() throws Exception {
    writeUserSettings();
    assertThat(cli("statusline", "install")).isZero();
    JsonObject line = json().getJsonObject("statusLine");
    assertThat(line.getString("command")).contains("/api/statusline", "sh -c '~/bin/my-status.sh'");
    assertThat(line.getInteger("padding")).isEqualTo(1);
    cli.reset();
    cli("statusline", "install");
    assertThat(cli.out()).contains("nothing to change");
    cli("statusline", "uninstall");
    assertThat(Files.readString(settings())).isEqualTo(USER_SETTINGS);
  }

  @Test
  @DisplayName("a previous status-line command with quotes survives install and uninstall exactly")
  void statusLineQuotes() {
    String previous = "echo 'it'\\''s' \"$(pwd)\" | tr a-z A-Z";
    JsonObject settings = new JsonObject().put("statusLine", new JsonObject().put("type", "command")
        .put("command", previous));
    StatusLineInstaller.install(settings, "http://127.0.0.1:3847");
    assertThat(StatusLineInstaller.isOurs(settings)).isTrue();
    StatusLineInstaller.uninstall(settings);
    assertThat(settings.getJsonObject("statusLine").getString("command")).isEqualTo(previous);
  }

  @Test
  @DisplayName("the status-line command forwards stdin and still prints the previous output")
  void statusLineCommandRuns() throws Exception {
    String command = StatusLineInstaller.command("http://127.0.0.1:1", "cat | wc -c; echo 'it''s me'");
    Process process = new ProcessBuilder("sh", "-c", command).start();
    process.getOutputStream().write("{\"session_id\":\"x\"}".getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).isZero();
    assertThat(printed).contains("18", "its me");
  }
}
