package dev.hookbus.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The settings file an install or uninstall edits: {@code --scope}, plus where the scopes live. */
final class SettingsTarget {
  @Option(names = "--scope", paramLabel = Scope.CHOICES, converter = Scope.Converter.class,
      description = "which settings file (default: user)")
  Scope scope = Scope.USER;

  @Mixin
  SettingsLocation location = new SettingsLocation();

  /** @param what what is installed, for the messages ("hooks", "status line") */
  SettingsEdit edit(CliContext context, String what) {
    return new SettingsEdit(context.out(), location.settingsFile(scope, context.env()), what);
  }
}
