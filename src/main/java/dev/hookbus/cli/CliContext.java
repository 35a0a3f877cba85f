package dev.hookbus.cli;

import java.io.PrintWriter;
import java.util.Map;

/** What every command may use: the output for the person at the terminal, and the environment it runs in. */
record CliContext(PrintWriter out, Map<String, String> env) {
}
