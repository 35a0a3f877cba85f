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

    @Option(names = "--otel", description = {"also make Claude Code export its OpenTelemetry metrics and events "
        + "(cost, tokens) to hookbus: an env block in the settings, metrics every 10 s, the token through "
        + "otelHeadersHelper and --token-env"})
    boolean otel;

    @Mixin
    SettingsTarget target = new SettingsTarget();

    private final CliContext context;

    Install(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      return target.edit(context, WHAT).install(settings -> {
        java.util.List<String> changes = new java.util.ArrayList<>(HooksInstaller.install(settings, url, tokenEnv));
        if (otel) {
          changes.addAll(OtelInstaller.install(settings, url, tokenEnv));
        }
        return changes;
      });
    }
  }

  @Command(name = "uninstall", mixinStandardHelpOptions = true,
      description = {"Remove exactly hookbus's hooks again (and the --otel env block).",
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
      return target.edit(context, WHAT).uninstall(settings -> {
        java.util.List<String> changes = new java.util.ArrayList<>(HooksInstaller.uninstall(settings));
        changes.addAll(OtelInstaller.uninstall(settings));
        return changes;
      });
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
