package dev.hookbus.web;

import dev.hookbus.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * {@code /health/live} (the process and its event loops answer) and {@code /health/ready} (the state actor
 * answers and its log can keep events, so events would be accepted; 503 with {@code "store":"unavailable"} while
 * the journal cannot be written), the same on both ports.
 */
public final class HealthRoutes {
  private static final DeliveryOptions PROBE = new DeliveryOptions().setSendTimeout(1_000);

  private HealthRoutes() {
  }

  public static void install(Router router, Vertx vertx) {
    router.get("/health/live").handler(ctx -> Responses.json(ctx, 200,
        new JsonObject().put("status", "live").put("timestamp", System.currentTimeMillis())));
    router.get("/health/ready").handler(ctx -> vertx.eventBus().request(Addresses.STATE_STATS, null, PROBE)
        .onComplete(probe -> {
          JsonObject body = new JsonObject().put("timestamp", System.currentTimeMillis());
          if (probe.succeeded()) {
            String store = probe.result().body() instanceof JsonObject stats ? stats.getString("store") : null;
            boolean storeAvailable = !"unavailable".equals(store);
            body.put("status", storeAvailable ? "ready" : "not ready").put("stateActor", "answering")
                .put("store", storeAvailable ? "available" : "unavailable");
            Responses.json(ctx, storeAvailable ? 200 : 503, body);
          } else {
            Responses.json(ctx, 503, body.put("status", "not ready").put("stateActor", probe.cause().getMessage()));
          }
        }));
  }
}
