package dev.hookbus.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;

/** Token comparison that takes the same time whether the first or the last character differs. */
public final class Secrets {
  private Secrets() {
  }

  /** True when {@code presented} equals one of {@code known}; every candidate is compared in full. */
  public static boolean matchesAny(String presented, Collection<String> known) {
    if (presented == null) {
      return false;
    }
    byte[] presentedDigest = sha256(presented);
    boolean match = false;
    for (String candidate : known) {
      match |= MessageDigest.isEqual(presentedDigest, sha256(candidate));
    }
    return match;
  }

  /** Comparing digests, not the raw strings, keeps the time independent of the lengths too. */
  static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The token of an {@code Authorization: Bearer <token>} header, or null. */
  public static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? null : token;
  }
}
