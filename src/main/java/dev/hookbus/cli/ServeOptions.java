package dev.hookbus.cli;

/**
 * How to start the server, as the command line gave it.
 *
 * @param confPath  the config file, or null for {@code conf/config.json} when it exists, else the built-in defaults
 * @param portsFile where to write {@code {"ingest":port,"bridge":port}} once both listen, or null
 * @param cluster   join a cluster at start, whatever {@code cluster.enabled} says
 */
public record ServeOptions(String confPath, String portsFile, boolean cluster) {
}
