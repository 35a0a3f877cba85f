package dev.hookbus.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A token a browser presents to the bridge, and the addresses it may use: exact names or patterns ending in
 * {@code *} ({@code hookbus.sessions.*}). A token is a secret: it is never logged.
 *
 * @param name who holds it, recorded with the approvals it decides; null for none (see {@link #who()})
 */
public record ViewerToken(String name, String token, List<String> addresses) {

  public ViewerToken(String token, List<String> addresses) {
    this(null, token, addresses);
  }

  /** The name, or {@code token:<first 8 hex digits of its SHA-256>}: never the token itself. */
  public String who() {
    if (name != null && !name.isBlank()) {
      return name;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return "token:" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "ViewerToken[name=" + name + ", token=***, addresses=" + addresses + "]";
  }
}
