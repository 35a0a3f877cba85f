package dev.hookbus.node;

import java.io.IOException;
import java.net.BindException;

/** A server could not bind its port; the message names the server, the address and why. */
public final class CannotListen extends RuntimeException {
  private CannotListen(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code ingest cannot listen on 127.0.0.1:3847: address already in use}, or null when the failure is not a bind. */
  static CannotListen of(String server, String host, int port, Throwable failure) {
    String message = failure.getMessage() == null ? "" : failure.getMessage();
    boolean bind = failure instanceof BindException || failure instanceof IOException && message.contains("bind(");
    if (!bind) {
      return null;
    }
    String reason = message.contains("Address already in use") ? "address already in use"
        : message.replaceFirst("^bind\\(\\.\\.\\) failed: ", "").toLowerCase(java.util.Locale.ROOT);
    return new CannotListen(server + " cannot listen on " + host + ":" + port + ": " + reason, failure);
  }
}
