package dev.hookbus.notify;

import dev.hookbus.config.NotifyConfig;
import dev.hookbus.config.WebhookConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Delivers one webhook's notices in order, one POST at a time, from a bounded queue: each POST has
 * {@code notify.timeoutMs}, a failure (refused, timed out, 5xx, 408, 429) is retried after {@code retryDelayMs},
 * doubling, up to {@code maxAttempts}; another 4xx is not retried. A webhook that starts failing is logged once, and
 * once more when it delivers again; a full queue likewise. Everything else is in its meters.
 */
final class WebhookSender {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
  private static final long MAX_RETRY_DELAY_MS = 60_000;

  private final Vertx vertx;
  private final HttpClient client;
  private final WebhookConfig webhook;
  private final NotifyConfig config;
  private final Links links;
  private final String name;
  private final Deque<Notice> queue = new ArrayDeque<>();
  private final NotifyMeters meters;
  private boolean sending;
  private boolean failing;
  private boolean dropping;

  WebhookSender(Vertx vertx, HttpClient client, int index, WebhookConfig webhook, NotifyConfig config, Links links,
                io.micrometer.core.instrument.MeterRegistry registry) {
    this.vertx = vertx;
    this.client = client;
    this.webhook = webhook;
    this.config = config;
    this.links = links;
    // Never the whole URL: a Slack webhook's path and an ntfy topic are secrets.
    this.name = "notify.webhooks[" + index + "] (" + webhook.format() + " to " + URI.create(webhook.url()).getHost()
        + ")";
    this.meters = new NotifyMeters(registry, index, webhook.format(), queue::size);
  }

  void offer(Notice notice) {
    if (queue.size() >= config.queueSize()) {
      meters.queueFull.increment();
      if (!dropping) {
        dropping = true;
        LOG.warn("{}: {} notifications are queued, dropping new ones until it catches up", name, queue.size());
      }
      return;
    }
    if (dropping && queue.size() < config.queueSize() / 2) {
      dropping = false;
      LOG.info("{}: queue below {} again, taking new notifications", name, config.queueSize() / 2);
    }
    queue.add(notice);
    sendNext();
  }

  private void sendNext() {
    if (sending || queue.isEmpty()) {
      return;
    }
    sending = true;
    Payloads.Post post = Payloads.of(webhook, queue.poll(), links);
    deliver(post, 1).onComplete(done -> {
      sending = false;
      sendNext();
    });
  }

  private Future<Void> deliver(Payloads.Post post, int attempt) {
    return postOnce(post).compose(ok -> {
      meters.sent.increment();
      if (failing) {
        failing = false;
        LOG.info("{}: delivers again", name);
      }
      return Future.<Void>succeededFuture();
    }, failure -> {
      meters.failedAttempts.increment();
      boolean retry = attempt < config.maxAttempts() && retryable(failure);
      if (!failing) {
        failing = true;
        LOG.warn("{}: POST failed ({}){}; further failures are counted in hookbus_notify_failures until one succeeds",
            name, failure.getMessage(), retry ? ", retrying" : ", not retried");
      }
      if (!retry) {
        meters.gaveUp.increment();
        return Future.failedFuture(failure);
      }
      long delay = Math.min(MAX_RETRY_DELAY_MS, config.retryDelayMs() << Math.min(attempt - 1, 20));
      Promise<Void> later = Promise.promise();
      vertx.setTimer(delay, id -> deliver(post, attempt + 1).onComplete(later));
      return later.future();
    });
  }

  private Future<Void> postOnce(Payloads.Post post) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(post.url())
        .setConnectTimeout(config.timeoutMs()).setIdleTimeout(config.timeoutMs())
        .putHeader("content-type", "application/json").putHeader("user-agent", "hookbus");
    if (webhook.authorization() != null) {
      options.putHeader("authorization", webhook.authorization());
    }
    Buffer body = post.body().toBuffer();
    return client.request(options)
        .compose(request -> request.send(body))
        .compose(response -> response.body().compose(answer -> response.statusCode() / 100 == 2
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(new Refused(response.statusCode()))));
  }

  private static boolean retryable(Throwable failure) {
    if (failure instanceof Refused refused) {
      int status = refused.status;
      return status >= 500 || status == 408 || status == 429;
    }
    return true;
  }

  /** The webhook answered, with a status that is not a 2xx. */
  private static final class Refused extends RuntimeException {
    final int status;

    Refused(int status) {
      super("HTTP " + status, null, false, false);
      this.status = status;
    }
  }
}
