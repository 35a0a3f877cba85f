package dev.hookbus.ingest;

import dev.hookbus.bus.Refusal;
import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.logging.RepeatedWarning;
import dev.hookbus.metrics.HookbusMetrics;
import dev.hookbus.model.Event;
import dev.hookbus.model.EventBatch;
import dev.hookbus.web.Responses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Ingest's side of the state actor, shared by every ingest route: hands it events, counts what was accepted and
 * refused, and turns failures into the JSON error a client sees.
 */
public final class StateClient {
  private static final Logger LOG = LoggerFactory.getLogger(StateClient.class);

  private final Vertx vertx;
  private final DeliveryOptions options;
  private final HookbusMetrics metrics;
  private final int maxInFlight;
  /** While no leader serves, every hook is refused: one line a second says so, and how many. */
  private final RepeatedWarning failed = new RepeatedWarning(LOG, 1_000);

  public StateClient(Vertx vertx, long replyTimeoutMs, int maxInFlight, HookbusMetrics metrics) {
    this.vertx = vertx;
    this.maxInFlight = maxInFlight;
    this.options = new DeliveryOptions().setSendTimeout(replyTimeoutMs);
    this.metrics = metrics;
  }

  /**
   * Completes with the seqs the actor gave the events, once it has accepted them; fails at once with OVERLOADED
   * while {@code ingest.maxInFlight} requests already wait for the actor (shared by every ingest instance).
   */
  public Future<JsonArray> apply(List<Event> events) {
    long started = System.nanoTime();
    if (metrics.actorInFlight().incrementAndGet() > maxInFlight) {
      metrics.actorInFlight().decrementAndGet();
      return Future.failedFuture(new Refusal(FailureCode.OVERLOADED, "hookbus is overloaded ("
          + maxInFlight + " requests wait for the state actor, ingest.maxInFlight); retry shortly"));
    }
    return vertx.eventBus().<JsonObject>request(Addresses.STATE_APPLY, new EventBatch(events), options)
        .onComplete(done -> metrics.actorInFlight().decrementAndGet())
        .map(reply -> {
          long nanos = System.nanoTime() - started;
          events.forEach(event -> metrics.accepted(event.type(), nanos));
          return reply.body().getJsonArray("seqs");
        });
  }

  /** A read-only request to the actor (snapshot, stats, one event). */
  public Future<JsonObject> ask(String address, Object body) {
    return vertx.eventBus().<JsonObject>request(address, body, options).map(reply -> reply.body());
  }

  /** The same, for a read that may take longer than {@code ingest.replyTimeoutMs} (a scan of the whole journal). */
  public Future<JsonObject> ask(String address, Object body, long timeoutMs) {
    return vertx.eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(reply -> reply.body());
  }

  public void refuse(RoutingContext ctx, Refusal refusal) {
    metrics.rejected(refusal.code().name());
    Responses.error(ctx, refusal.code(), refusal.getMessage());
  }

  public void fail(RoutingContext ctx, Throwable failure) {
    FailureCode code = FailureCode.of(failure);
    metrics.rejected(code.name());
    if (code == FailureCode.UNAVAILABLE || code == FailureCode.INTERNAL) {
      failed.warn("state actor request failed: {} ({})", code, failure.getMessage());
    }
    Responses.error(ctx, code, code == FailureCode.UNAVAILABLE
        ? "the state actor is not answering; retry shortly" : failure.getMessage());
  }
}
