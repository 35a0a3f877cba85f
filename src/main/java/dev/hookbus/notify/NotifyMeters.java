package dev.hookbus.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.Supplier;

/** The meters of one webhook in {@code /metrics}, tagged with its place in {@code notify.webhooks} and its format. */
final class NotifyMeters {
  final Counter sent;
  final Counter failedAttempts;
  final Counter gaveUp;
  final Counter queueFull;

  NotifyMeters(MeterRegistry registry, int index, String format, Supplier<Number> queued) {
    String webhook = Integer.toString(index);
    sent = Counter.builder("hookbus_notify_sent").description("notifications a webhook answered with a 2xx")
        .tag("webhook", webhook).tag("format", format).register(registry);
    failedAttempts = Counter.builder("hookbus_notify_failures")
        .description("POSTs to a webhook that failed (refused, timed out, non-2xx), retries included")
        .tag("webhook", webhook).tag("format", format).register(registry);
    gaveUp = Counter.builder("hookbus_notify_dropped").description("notifications not delivered")
        .tag("webhook", webhook).tag("format", format).tag("reason", "failed").register(registry);
    queueFull = Counter.builder("hookbus_notify_dropped").description("notifications not delivered")
        .tag("webhook", webhook).tag("format", format).tag("reason", "queue_full").register(registry);
    Gauge.builder("hookbus_notify_queued", queued).description("notifications waiting for their webhook")
        .tag("webhook", webhook).tag("format", format).register(registry);
  }
}
