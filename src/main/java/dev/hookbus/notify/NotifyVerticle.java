package dev.hookbus.notify;

import dev.hookbus.bus.Addresses;
import dev.hookbus.config.NotifyConfig;
import dev.hookbus.config.WebhookConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Notifications out: listens to {@code hookbus.events} and {@code hookbus.approvals} on this node's bus, as a
 * browser would (nothing it does holds up the state actor or a hook), and POSTs to {@code notify.webhooks}: when a
 * session has waited a webhook's {@code afterMs} (once per wait), and at once on errors, a nearly full context and
 * decided approvals. With no webhooks it registers nothing.
 */
public class NotifyVerticle extends VerticleBase implements SessionWatch.Signals {
  private static final Logger LOG = LoggerFactory.getLogger(NotifyVerticle.class);
  /** As often as the bridges tell theirs: ingest forgets a node it has not heard from for 5 s. */
  private static final long DECIDERS_REPEAT_MS = 2_000;

  private final NotifyConfig config;
  private final Links links;
  private final MeterRegistry registry;
  private final List<WebhookSender> senders = new ArrayList<>();
  private final String decidersNode = "notify-" + UUID.randomUUID();
  private SessionWatch watch;
  private HttpClient client;

  /**
   * @param localDashboardUrl the dashboard's local address, for links when {@code notify.dashboardUrl} is unset
   * @param localIngestUrl    the ingest port's local address, for the decide buttons when {@code notify.publicUrl}
   *                          is unset
   */
  public NotifyVerticle(NotifyConfig config, String localDashboardUrl, String localIngestUrl, MeterRegistry registry) {
    this.config = config;
    this.links = new Links(config.dashboardUrl() == null ? localDashboardUrl : config.dashboardUrl(),
        config.publicUrl() == null ? localIngestUrl : config.publicUrl());
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    if (config.webhooks().isEmpty()) {
      return Future.succeededFuture();
    }
    client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) config.timeoutMs()),
        new PoolOptions().setHttp1MaxSize(config.webhooks().size() * 2));
    for (int i = 0; i < config.webhooks().size(); i++) {
      senders.add(new WebhookSender(vertx, client, i, config.webhooks().get(i), config, links, registry));
    }
    watch = new SessionWatch(config, this);
    MessageConsumer<Object> events = vertx.eventBus().localConsumer(Addresses.EVENTS,
        message -> take(message, watch::onEvent));
    MessageConsumer<Object> approvals = vertx.eventBus().localConsumer(Addresses.APPROVALS,
        message -> take(message, watch::onApproval));
    LOG.info("notifications go to {} webhook(s); links point at {}", senders.size(), links.dashboard());
    int deciders = (int) config.webhooks().stream().filter(NotifyVerticle::canDecide).count();
    if (deciders > 0) {
      tellDeciders(deciders);
      vertx.setPeriodic(DECIDERS_REPEAT_MS, id -> tellDeciders(deciders));
    }
    return Future.all(events.completion(), approvals.completion());
  }

  @Override
  public Future<?> stop() {
    if (config.webhooks().stream().anyMatch(NotifyVerticle::canDecide)) {
      tellDeciders(0);
    }
    return client == null ? Future.succeededFuture() : client.close();
  }

  /**
   * An ntfy webhook with a decide token is someone who may decide, like a dashboard that may: ingest then holds a
   * PermissionRequest (up to {@code approvals.holdMs}) even with no browser open, so that the phone's buttons have
   * an approval to decide.
   */
  private static boolean canDecide(WebhookConfig webhook) {
    return "ntfy".equals(webhook.format()) && webhook.token() != null
        && webhook.wants(WebhookConfig.APPROVAL_PENDING);
  }

  private void tellDeciders(int deciders) {
    vertx.eventBus().publish(Addresses.APPROVAL_DECIDERS, new JsonObject().put("node", decidersNode)
        .put("deciders", deciders));
  }

  private interface Handler {
    void handle(JsonObject envelope, long now);
  }

  private void take(Message<Object> message, Handler handler) {
    if (message.body() instanceof JsonObject envelope) {
      try {
        handler.handle(envelope, System.currentTimeMillis());
      } catch (RuntimeException e) {
        // An envelope of a shape the watch does not expect costs its notification, never the others.
        LOG.debug("notifications skipped an envelope it could not read: {}", e.toString());
      }
    }
  }

  @Override
  public void waitStarted(Wait wait) {
    for (int i = 0; i < senders.size(); i++) {
      WebhookConfig webhook = config.webhooks().get(i);
      if (webhook.wants(WebhookConfig.WAITING) || webhook.wants(WebhookConfig.INPUT)
          || webhook.wants(WebhookConfig.APPROVAL_PENDING)) {
        int index = i;
        wait.timers.add(vertx.setTimer(Math.max(1, webhook.afterMs()), id -> waited(wait, index)));
      }
    }
  }

  @Override
  public void waitEnded(Wait wait) {
    wait.timers.forEach(vertx::cancelTimer);
    wait.timers.clear();
  }

  @Override
  public void notice(Notice notice) {
    for (int i = 0; i < senders.size(); i++) {
      if (config.webhooks().get(i).wants(notice.event())) {
        senders.get(i).offer(notice);
      }
    }
  }

  private void waited(Wait wait, int index) {
    if (wait.ended || !wait.sent.add(index)) {
      return;
    }
    Notice notice = watch.noticeFor(wait, config.webhooks().get(index), System.currentTimeMillis());
    if (notice != null) {
      senders.get(index).offer(notice);
    }
  }
}
