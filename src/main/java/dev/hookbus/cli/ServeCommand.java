package dev.hookbus.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code hookbus serve}: the same as giving no command at all. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Start hookbus (what runs when no command is given).",
        "Ingest, the SockJS bridge and the dashboard; Ctrl-C or SIGTERM stops it gracefully."})
final class ServeCommand implements Callable<Integer> {
  @Mixin
  ServeFlags flags = new ServeFlags();

  private final ServeAction server;
  private final ServeFlags rootFlags;

  ServeCommand(ServeAction server, ServeFlags rootFlags) {
    this.server = server;
    this.rootFlags = rootFlags;
  }

  @Override
  public Integer call() {
    return server.serve(flags.over(rootFlags));
  }
}
