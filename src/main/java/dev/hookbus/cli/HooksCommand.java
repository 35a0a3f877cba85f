package dev.hookbus.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code hookbus hooks install|uninstall|print}: hookbus's hooks in Claude Code's settings. */
@Command(name = "hooks", mixinStandardHelpOptions = true,
    description = "Claude Code hooks that send every event to hookbus: install, uninstall or print them.")
final class HooksCommand {
  static final String WHAT = "hooks";

  @Command(name = "install", mixinStandardHelpOptions = true,
      description = {"Add hookbus's hooks to Claude Code's settings.",
          "Your own hooks and settings stay; the file is backed up before the first write; twice changes nothing."})
  static final class Install implements Callable<Integer> {
    @Option(names = "--url", paramLabel = "<url>", converter = Arguments.BaseUrl.class,
        description = "ingest server (default: ${DEFAULT-VALUE})")
    String url = Cli.DEFAULT_URL;

    @Option(names = "--token-env", paramLabel = "<var>", converter = Arguments.EnvironmentVariableName.class,
        description = "environment variable that holds the ingest token; the hooks send it, the file never holds it")
    String tokenEnv;

    @Mixin
    SettingsTarget target = new SettingsTarget();

    private final CliContext context;

    Install(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      return target.edit(context, WHAT)
          .install(settings -> HooksInstaller.install(settings, url, tokenEnv));
    }
  }

  @Command(name = "uninstall", mixinStandardHelpOptions = true,
      description = {"Remove exactly hookbus's hooks again.",
          "When nothing else changed meanwhile the file comes back byte for byte."})
  static final class Uninstall implements Callable<Integer> {
    @Mixin
    SettingsTarget target = new SettingsTarget();

    private final CliContext context;

    Uninstall(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      return target.edit(context, WHAT)
          .uninstall(HooksInstaller::uninstall);
    }
  }

  @Command(name = "print", mixinStandardHelpOptions = true,
      description = {"Print the hooks JSON, writing nothing.", "What install would merge into settings.json."})
  static final class Print implements Callable<Integer> {
    @Option(names = "--url", paramLabel = "<url>", converter = Arguments.BaseUrl.class,
        description = "ingest server (default: ${DEFAULT-VALUE})")
    String url = Cli.DEFAULT_URL;

    @Option(names = "--token-env", paramLabel = "<var>", converter = Arguments.EnvironmentVariableName.class,
        description = "environment variable that holds the ingest token")
    String tokenEnv;

    private final CliContext context;

    Print(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      context.out().print(JsonText.pretty(new JsonObject().put("hooks", HooksInstaller.desired(url, tokenEnv))));
      return 0;
    }
  }
}
