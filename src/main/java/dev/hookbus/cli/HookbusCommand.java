package dev.hookbus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code java -jar hookbus.jar}: with no command it serves, as {@code serve} does. */
@Command(name = "hookbus", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
    description = "Live event hub for Claude Code hooks. With no command it starts the server, as serve does.",
    commandListHeading = "%nCommands:%n",
    footer = {"", "Every command takes --help. The user settings are where Claude Code looks: in",
        "$CLAUDE_CONFIG_DIR when set, else in $HOME/.claude."})
final class HookbusCommand implements Callable<Integer> {
  private static final int WIDTH = 80;
  private static final int NAME_COLUMN = 22;
  private static final String OPTIONS_INDENT = "        ";

  @Mixin
  ServeFlags flags = new ServeFlags();

  private final ServeAction server;

  HookbusCommand(ServeAction server) {
    this.server = server;
  }

  @Override
  public Integer call() {
    return server.serve(flags.options());
  }

  /**
   * The command list, down to the commands that run ({@code hooks install}, not just {@code hooks}), each with its
   * description and its options: what {@code --help} shows instead of picocli's one level of names.
   */
  static String commandList(CommandLine.Help help) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, CommandLine> entry : help.commandSpec().subcommands().entrySet()) {
      CommandLine command = entry.getValue();
      if (command.getSubcommands().isEmpty()) {
        describe(text, entry.getKey(), command.getCommandSpec());
      } else {
        command.getSubcommands().forEach((name, sub) -> describe(text, entry.getKey() + " " + name,
            sub.getCommandSpec()));
      }
    }
    return text.toString();
  }

  private static void describe(StringBuilder text, String name, CommandSpec spec) {
    String padded = "  " + name + " ".repeat(Math.max(1, NAME_COLUMN - name.length()));
    text.append(padded).append(summary(spec)).append(System.lineSeparator());
    StringBuilder line = new StringBuilder(OPTIONS_INDENT);
    for (String option : synopsis(spec)) {
      if (line.length() > OPTIONS_INDENT.length() && line.length() + 1 + option.length() > WIDTH) {
        text.append(line).append(System.lineSeparator());
        line = new StringBuilder(OPTIONS_INDENT);
      }
      line.append(line.length() > OPTIONS_INDENT.length() ? " " : "").append(option);
    }
    if (line.length() > OPTIONS_INDENT.length()) {
      text.append(line).append(System.lineSeparator());
    }
  }

  /** The first line of the header or, without one, of the description (picocli's help command has a header). */
  private static String summary(CommandSpec spec) {
    String[] header = spec.usageMessage().header();
    String[] lines = header.length > 0 ? header : spec.usageMessage().description();
    return lines.length == 0 ? "" : lines[0].replace("%n", "").trim();
  }

  /** {@code [--scope user|project|local]} and so on; not the {@code -h}/{@code -V} every command has. */
  private static List<String> synopsis(CommandSpec spec) {
    List<String> options = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      if (option.usageHelp() || option.versionHelp() || option.hidden()) {
        continue;
      }
      String value = option.arity().max() > 0 ? " " + option.paramLabel() : "";
      options.add("[" + option.names()[0] + value + "]");
    }
    for (PositionalParamSpec positional : spec.positionalParameters()) {
      options.add("[" + positional.paramLabel() + "]");
    }
    return options;
  }
}
