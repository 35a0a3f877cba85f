package dev.hookbus.cluster;

import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.Fanout;
import dev.hookbus.bus.FailureCode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The bridge between this node's clustered bus and its node-local bus, where the SockJS bridge runs. One consumer
 * of {@link Addresses#FANOUT} per node re-publishes the leader's envelopes locally, so a browser subscription
 * is a local registration and never an entry in the cluster's subscription map. Browser requests
 * ({@code hookbus.sync}, {@code hookbus.history}) and the metrics ticker's stats request go the other way, to the
 * state actor on the leader.
 */
public class FanoutRelay extends VerticleBase {
  private static final List<String> FORWARDED = List.of(Addresses.SYNC, Addresses.HISTORY, Addresses.STATE_STATS);

  private final Vertx local;
  private final DeliveryOptions forwardOptions;
  private final List<MessageConsumer<Object>> localConsumers = new ArrayList<>();

  public FanoutRelay(Vertx local, long replyTimeoutMs) {
    this.local = local;
    this.forwardOptions = new DeliveryOptions().setSendTimeout(replyTimeoutMs);
  }

  @Override
  public Future<?> start() {
    EventBus localBus = local.eventBus();
    List<Future<Void>> ready = new ArrayList<>();
    ready.add(vertx.eventBus().<JsonObject>consumer(Addresses.FANOUT,
        m -> Fanout.toSubscribers(localBus, m.body())).completion());
    for (String address : FORWARDED) {
      MessageConsumer<Object> consumer = localBus.consumer(address, this::forward);
      localConsumers.add(consumer);
      ready.add(consumer.completion());
    }
    return Future.all(ready);
  }

  @Override
  public Future<?> stop() {
    return Future.all(localConsumers.stream().map(MessageConsumer::unregister).toList());
  }

  private void forward(Message<Object> message) {
    vertx.eventBus().request(message.address(), message.body(), forwardOptions).onComplete(reply -> {
      if (reply.succeeded()) {
        message.reply(reply.result().body());
      } else if (reply.cause() instanceof ReplyException e && e.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        message.fail(e.failureCode(), e.getMessage());
      } else {
        message.fail(FailureCode.UNAVAILABLE.code(), "no leader is answering: " + reply.cause().getMessage());
      }
    });
  }
}
