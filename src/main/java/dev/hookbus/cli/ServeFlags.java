package dev.hookbus.cli;

import picocli.CommandLine.Option;

/**
 * The server's options, taken by {@code serve} and by the bare command: one dash or two, the value after a space or
 * an {@code =} ({@code -conf x.json}, {@code --conf=x.json}), as the command line has always accepted them.
 */
final class ServeFlags {
  @Option(names = {"-conf", "--conf"}, paramLabel = "<file>",
      description = "config file (default: conf/config.json when it exists, else the built-in defaults)")
  String confPath;

  @Option(names = {"-cluster", "--cluster"}, description = "join a cluster at start (as cluster.enabled does)")
  boolean cluster;

  @Option(names = {"-ports-file", "--ports-file"}, paramLabel = "<file>",
      description = "write {\"ingest\":port,\"bridge\":port} to this file once both listen (handy with port 0)")
  String portsFile;

  ServeOptions options() {
    return new ServeOptions(confPath, portsFile, cluster);
  }

  /** These flags, with the ones given before the word {@code serve} filling what these leave out. */
  ServeOptions over(ServeFlags before) {
    return new ServeOptions(confPath != null ? confPath : before.confPath,
        portsFile != null ? portsFile : before.portsFile, cluster || before.cluster);
  }
}
