package dev.hookbus.config;

/** What browsers get: strings longer than {@code maxFieldChars} are cut in broadcast envelopes (history keeps all). */
public record BroadcastConfig(int maxFieldChars) {

  static BroadcastConfig from(Section s) {
    return new BroadcastConfig(s.integer("maxFieldChars", 8192, 64, 1 << 30));
  }
}
