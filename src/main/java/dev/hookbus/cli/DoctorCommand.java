package dev.hookbus.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code hookbus doctor}: see {@link Doctor}. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = {"Check the ports, the hooks and a test event.",
        "Ingest and bridge /health, hooks installed and aimed at --url, an event posted to ingest arriving at a"
            + " bridge subscriber. Exit code 0 when all pass."})
final class DoctorCommand implements Callable<Integer> {
  @Option(names = "--url", paramLabel = "<url>", converter = Arguments.BaseUrl.class,
      description = "ingest server (default: ${DEFAULT-VALUE})")
  String url = Cli.DEFAULT_URL;

  @Option(names = "--bridge-url", paramLabel = "<url>", converter = Arguments.BaseUrl.class,
      description = "the bridge (default: where ingest redirects / to)")
  String bridgeUrl;

  @Option(names = "--managed-settings", paramLabel = "<file>",
      description = "managed settings file(s) to check (default: /etc/claude-code/managed-settings.json and macOS's)")
  java.util.List<java.nio.file.Path> managedSettings;

  @Mixin
  SettingsLocation location = new SettingsLocation();

  private final CliContext context;

  DoctorCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    return new Doctor(context.out()).run(url, bridgeUrl, location.settingsFiles(context.env()),
        managedSettings == null ? SettingsChecks.MANAGED : managedSettings);
  }
}
