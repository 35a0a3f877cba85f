package dev.hookbus.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line run in-process, as {@code main} runs it: captured stdout and stderr, an environment of the test's
 * choosing, and a {@code serve} that records what it was asked to start instead of starting it.
 */
final class CliRunner {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Map<String, String> env;
  final List<ServeOptions> served = new ArrayList<>();

  CliRunner() {
    this(Map.of());
  }

  CliRunner(Map<String, String> env) {
    this.env = env;
  }

  int run(String... args) {
    PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
    return new Cli(stdout, stderr, env, options -> {
      served.add(options);
      return Cli.SERVING;
    }).run(args);
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  void reset() {
    out.reset();
    err.reset();
  }
}
