package dev.hookbus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The whole command line of {@code java -jar hookbus.jar}, through picocli: {@code [serve]} (the default),
 * {@code hooks install|uninstall|print}, {@code statusline install|uninstall}, {@code doctor} and {@code help}.
 * Help asked for goes to {@code out}; errors and the usage after them go to {@code err}, as plain text. A bad
 * command line exits 2, a command that fails on its own terms (a settings file that is not JSON) too, as before.
 */
public final class Cli {
  public static final String DEFAULT_URL = "http://127.0.0.1:3847";
  /** What {@link #run} returns once the server runs: the caller must not exit. */
  public static final int SERVING = -1;
  private static final int BAD_USE = 2;

  private final CommandLine commandLine;
  private final PrintWriter out;
  private final PrintWriter err;

  /**
   * @param env    the environment the commands resolve {@code HOME} and {@code CLAUDE_CONFIG_DIR} in
   * @param server what {@code serve} (or no command) does
   */
  public Cli(PrintStream out, PrintStream err, Map<String, String> env, ServeAction server) {
    this.out = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    this.err = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    CliContext context = new CliContext(this.out, Map.copyOf(env));
    HookbusCommand root = new HookbusCommand(server);
    commandLine = new CommandLine(root)
        .addSubcommand(new ServeCommand(server, root.flags))
        .addSubcommand(new CommandLine(new HooksCommand())
            .addSubcommand(new HooksCommand.Install(context))
            .addSubcommand(new HooksCommand.Uninstall(context))
            .addSubcommand(new HooksCommand.Print(context)))
        .addSubcommand(new CommandLine(new StatusLineCommand())
            .addSubcommand(new StatusLineCommand.Install(context))
            .addSubcommand(new StatusLineCommand.Uninstall(context)))
        .addSubcommand(new DoctorCommand(context))
        .addSubcommand(new HelpCommand());
    commandLine.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, HookbusCommand::commandList);
    commandLine.setOut(this.out)
        .setErr(this.err)
        .setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF))
        .setOverwrittenOptionsAllowed(true)
        .setParameterExceptionHandler(this::badCommandLine)
        .setExecutionExceptionHandler((e, command, parsed) -> failed(e));
  }

  /** Runs what {@code args} say; returns the exit code, or {@link #SERVING}. */
  public int run(String... args) {
    try {
      return commandLine.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** One line saying what is wrong, then the usage of the command it was given to. */
  private int badCommandLine(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    err.println("hookbus: " + e.getMessage().replace(System.lineSeparator(), " ").replace('\n', ' '));
    command.usage(err);
    return BAD_USE;
  }

  private int failed(Exception e) throws Exception {
    if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
      err.println("hookbus: " + e.getMessage());
      return BAD_USE;
    }
    if (e instanceof UncheckedIOException io) {
      err.println("hookbus: " + io.getCause());
      return 1;
    }
    throw e;
  }
}
