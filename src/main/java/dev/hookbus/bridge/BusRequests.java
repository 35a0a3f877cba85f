package dev.hookbus.bridge;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/**
 * A browser's admitted {@code send} or {@code publish}, onto the event bus with the configured reply timeout; the
 * reply goes back to that socket as {@code {type:"rec", address:<replyAddress>, body}}, a failure as
 * {@code {type:"err", address, failureCode, failureType, message}}, as vertx-web's bridge answers.
 */
final class BusRequests {
  private final EventBus bus;
  private final BridgeGuard guard;

  BusRequests(EventBus bus, BridgeGuard guard) {
    this.bus = bus;
    this.guard = guard;
  }

  void forward(BridgeSocket socket, String address, JsonObject frame, boolean send, String replyAddress) {
    Object body = frame.getValue("body");
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(guard.config().replyTimeoutMs());
    JsonObject headers = frame.getJsonObject("headers");
    if (headers != null) {
      MultiMap map = MultiMap.caseInsensitiveMultiMap();
      headers.forEach(entry -> map.add(entry.getKey(), String.valueOf(entry.getValue())));
      options.setHeaders(map);
    }
    if (!send) {
      bus.publish(address, body, options);
    } else if (replyAddress == null) {
      bus.send(address, body, options);
    } else {
      bus.request(address, body, options).onComplete(reply -> socket.send(reply.succeeded()
          ? recFrame(replyAddress, reply.result()) : errFrame(replyAddress, reply.cause())));
    }
  }

  private static JsonObject recFrame(String replyAddress, Message<Object> reply) {
    return new JsonObject().put("type", "rec").put("address", replyAddress).put("body", reply.body());
  }

  private static JsonObject errFrame(String replyAddress, Throwable cause) {
    JsonObject err = new JsonObject().put("type", "err").put("address", replyAddress);
    if (cause instanceof ReplyException reply) {
      err.put("failureCode", reply.failureCode()).put("failureType", reply.failureType().name());
    } else {
      err.put("failureCode", -1).put("failureType", "RECIPIENT_FAILURE");
    }
    return err.put("message", cause.getMessage());
  }
}
