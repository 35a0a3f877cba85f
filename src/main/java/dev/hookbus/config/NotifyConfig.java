package dev.hookbus.config;

import java.util.List;

/**
 * Notifications out: webhooks (json, ntfy, slack) told when a session waits, fails or fills its context.
 *
 * @param publicUrl         the ingest port as a phone reaches it ({@code https://box.example:3847}), for the
 *                          decide buttons; null: the local address
 * @param dashboardUrl      the dashboard as a phone reaches it, for the links; null: the local address
 * @param timeoutMs         how long one POST may take
 * @param maxAttempts       tries per notification, the first included
 * @param retryDelayMs      the wait before the first retry; each next one waits twice as long (at most 60 s)
 * @param queueSize         notifications waiting per webhook, past which new ones are dropped (and counted)
 * @param contextPercent    context use at or above which {@code context} is sent (once, until it drops below)
 * @param toolFailureStreak tool failures in a row, without a success between, that count as an {@code error}
 */
public record NotifyConfig(String publicUrl, String dashboardUrl, long timeoutMs, int maxAttempts, long retryDelayMs,
                           int queueSize, int contextPercent, int toolFailureStreak, List<WebhookConfig> webhooks) {

  static NotifyConfig from(Section s) {
    return new NotifyConfig(url(s, "publicUrl"), url(s, "dashboardUrl"),
        s.longValue("timeoutMs", 10_000, 100, 600_000),
        s.integer("maxAttempts", 4, 1, 100),
        s.longValue("retryDelayMs", 1_000, 1, 60_000),
        s.integer("queueSize", 100, 1, 100_000),
        s.integer("contextPercent", 90, 1, 100),
        s.integer("toolFailureStreak", 3, 1, 1_000),
        s.list("webhooks", List.of(), item -> WebhookConfig.from(s, item)));
  }

  private static String url(Section s, String key) {
    String url = s.string(key, null);
    if (url != null && !WebhookConfig.isHttpUrl(url)) {
      throw new ConfigException(s.key(key) + " must be an http:// or https:// URL, got \"" + url + "\"");
    }
    return url == null ? null : url.replaceAll("/+$", "");
  }
}
