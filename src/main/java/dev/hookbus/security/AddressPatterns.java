package dev.hookbus.security;

import java.util.List;

/** Address rules of a viewer token: an exact address, or a prefix ending in {@code *}. */
public record AddressPatterns(List<String> patterns) {

  public boolean allows(String address) {
    if (address == null) {
      return false;
    }
    for (String pattern : patterns) {
      if (pattern.endsWith("*") ? address.startsWith(pattern.substring(0, pattern.length() - 1))
          : address.equals(pattern)) {
        return true;
      }
    }
    return false;
  }
}
