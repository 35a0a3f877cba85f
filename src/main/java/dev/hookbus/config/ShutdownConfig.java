package dev.hookbus.config;

/** Graceful stop on SIGTERM / Ctrl-C: how long in-flight work may take before hookbus exits anyway. */
public record ShutdownConfig(long timeoutMs) {

  static ShutdownConfig from(Section s) {
    return new ShutdownConfig(s.longValue("timeoutMs", 10_000, 100, 600_000));
  }
}
