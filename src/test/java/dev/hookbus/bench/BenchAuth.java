package dev.hookbus.bench;

/**
 * {@code --token T}: the same secret as ingest token and viewer token, so a run measures hookbus with its access
 * checks on (hooks send {@code Authorization: Bearer T}, subscribers connect with {@code ?token=T}).
 */
final class BenchAuth {
  private BenchAuth() {
  }

  /** The server environment that turns both token checks on. */
  static String serverEnv(String token) {
    return "HOOKBUS_INGEST_TOKENS=[\"" + token + "\"] HOOKBUS_BRIDGE_TOKENS=[{\"token\":\"" + token
        + "\",\"addresses\":[\"hookbus.*\"]}]";
  }

  static String authorization(String token) {
    return "Bearer " + token;
  }

  static String query(String token) {
    return token == null ? "" : "?token=" + token;
  }
}
