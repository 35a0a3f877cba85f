package dev.hookbus.tls;

/** The certificate or key a {@code tls} setting names cannot be read or used; the message says which and why. */
public final class TlsUnusable extends RuntimeException {
  TlsUnusable(String message, Throwable cause) {
    super(message, cause);
  }
}
