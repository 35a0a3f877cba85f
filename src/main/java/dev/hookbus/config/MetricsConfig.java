package dev.hookbus.config;

/** The KPI ticker that publishes to {@code hookbus.metrics}. */
public record MetricsConfig(long intervalMs) {

  static MetricsConfig from(Section s) {
    return new MetricsConfig(s.longValue("intervalMs", 5_000, 10, 3_600_000));
  }
}
