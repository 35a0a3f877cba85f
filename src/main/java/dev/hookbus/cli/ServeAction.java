package dev.hookbus.cli;

/** Starts the server; the entry point provides it, so this package never reaches up into the server itself. */
@FunctionalInterface
public interface ServeAction {
  /** @return {@link Cli#SERVING} once the server runs, or the exit code when it could not start */
  int serve(ServeOptions options);
}
