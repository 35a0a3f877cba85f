package dev.hookbus.config;

import java.util.List;

/**
 * A token a browser presents to the bridge, and the addresses it may use: exact names or patterns ending in
 * {@code *} ({@code hookbus.sessions.*}). A token is a secret: it is never logged.
 */
public record ViewerToken(String token, List<String> addresses) {

  @Override
  public String toString() {
    return "ViewerToken[token=***, addresses=" + addresses + "]";
  }
}
