package dev.hookbus.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code hookbus statusline install|uninstall}: Claude Code's status line, forwarded to hookbus as well. */
@Command(name = "statusline", mixinStandardHelpOptions = true,
    description = "Forward Claude Code's status line (context, tokens, cost) to hookbus: install or uninstall.")
final class StatusLineCommand {
  static final String WHAT = "status line";

  @Command(name = "install", mixinStandardHelpOptions = true,
      description = {"Forward Claude Code's status line to hookbus too.",
          "Context, tokens and cost go to hookbus; your previous status-line command still runs and prints."})
  static final class Install implements Callable<Integer> {
    @Option(names = "--url", paramLabel = "<url>", converter = Arguments.BaseUrl.class,
        description = "ingest server (default: ${DEFAULT-VALUE})")
    String url = Cli.DEFAULT_URL;

    @Mixin
    SettingsTarget target = new SettingsTarget();

    private final CliContext context;

    Install(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      return target.edit(context, WHAT)
          .install(settings -> changes(StatusLineInstaller.install(settings, url)));
    }
  }

  @Command(name = "uninstall", mixinStandardHelpOptions = true,
      description = "Put your own status line back.")
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
          .uninstall(settings -> changes(StatusLineInstaller.uninstall(settings)));
    }
  }

  private static List<String> changes(String change) {
    return change == null ? List.of() : List.of(change);
  }
}
