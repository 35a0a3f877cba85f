package dev.hookbus.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A test client for the Vert.x event-bus bridge protocol ({@code register}, {@code send}, {@code rec}, {@code err}
 * frames), independent of the transport underneath. Everything received is kept, so tests wait on conditions
 * over what arrived instead of sleeping.
 */
public abstract class BridgeClient {
  private final Map<String, List<JsonObject>> received = new ConcurrentHashMap<>();
  private final Map<String, Promise<JsonObject>> replies = new ConcurrentHashMap<>();
  private final List<JsonObject> errors = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();

  private record Waiter(String address, Predicate<List<JsonObject>> condition, Promise<List<JsonObject>> promise) {
  }

  protected abstract Future<Void> write(JsonObject frame);

  public abstract Future<Void> close();

  public Future<Void> register(String address) {
    return write(new JsonObject().put("type", "register").put("address", address));
  }

  public Future<Void> unregister(String address) {
    return write(new JsonObject().put("type", "unregister").put("address", address));
  }

  /** Sends a request and completes with the reply frame ({@code {type:"rec", body}} or {@code {type:"err"}}). */
  public Future<JsonObject> request(String address, Object body) {
    String replyAddress = UUID.randomUUID().toString();
    Promise<JsonObject> reply = Promise.promise();
    replies.put(replyAddress, reply);
    return write(new JsonObject().put("type", "send").put("address", address).put("body", body)
        .put("replyAddress", replyAddress)).compose(v -> reply.future());
  }

  public Future<Void> publish(String address, Object body) {
    return write(new JsonObject().put("type", "publish").put("address", address).put("body", body));
  }

  /** Completes once the bodies received on {@code address} satisfy {@code condition}. */
  public synchronized Future<List<JsonObject>> await(String address, Predicate<List<JsonObject>> condition) {
    List<JsonObject> now = bodies(address);
    if (condition.test(now)) {
      return Future.succeededFuture(now);
    }
    Promise<List<JsonObject>> promise = Promise.promise();
    waiters.add(new Waiter(address, condition, promise));
    return promise.future();
  }

  public Future<List<JsonObject>> awaitCount(String address, int count) {
    return await(address, bodies -> bodies.size() >= count);
  }

  /** Completes with the first error frame that arrives (an error frame carries no address). */
  public synchronized Future<JsonObject> awaitError() {
    if (!errors.isEmpty()) {
      return Future.succeededFuture(errors.get(0));
    }
    Promise<List<JsonObject>> promise = Promise.promise();
    waiters.add(new Waiter(null, e -> !errors.isEmpty(), promise));
    return promise.future().map(e -> errors.get(0));
  }

  public synchronized List<JsonObject> bodies(String address) {
    return List.copyOf(received.getOrDefault(address, List.of()));
  }

  protected synchronized void onFrame(JsonObject frame) {
    String address = frame.getString("address");
    if ("err".equals(frame.getString("type")) && (address == null || !replies.containsKey(address))) {
      errors.add(frame);
    } else if (address != null && replies.containsKey(address)) {
      replies.remove(address).complete(frame);
      return;
    } else if ("rec".equals(frame.getString("type"))) {
      received.computeIfAbsent(address, a -> new ArrayList<>()).add(frame.getJsonObject("body"));
    }
    for (Waiter waiter : List.copyOf(waiters)) {
      boolean met = waiter.address() == null ? waiter.condition().test(List.of())
          : waiter.condition().test(bodies(waiter.address()));
      if (met) {
        waiters.remove(waiter);
        waiter.promise().complete(waiter.address() == null ? List.of() : bodies(waiter.address()));
      }
    }
  }
}
