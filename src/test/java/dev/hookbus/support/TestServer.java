package dev.hookbus.support;

import dev.hookbus.MainVerticle;
import dev.hookbus.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.function.Predicate;
import java.util.function.Supplier;

/** The real hookbus, deployed on free ports, plus an HTTP client pointed at it. */
public final class TestServer {
  private final Vertx vertx;
  private final MainVerticle main;
  private final WebClient http;

  private TestServer(Vertx vertx, MainVerticle main) {
    this.vertx = vertx;
    this.main = main;
    this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32));
  }

  /** Starts hookbus with the defaults on free ports, modified by {@code overrides} (same shape as config.json). */
  public static TestServer start(Vertx vertx, JsonObject overrides) {
    JsonObject json = overrides.copy();
    for (String section : new String[] {"ingest", "bridge"}) {
      JsonObject s = json.getJsonObject(section, new JsonObject());
      json.put(section, s.put("port", 0));
    }
    if (!json.containsKey("store")) {
      // Tests that do not ask for the journal must not share one in the working directory.
      json.put("store", new JsonObject().put("enabled", false));
    }
    MainVerticle main = new MainVerticle(AppConfig.from(json));
    Await.result(vertx.deployVerticle(main));
    return new TestServer(vertx, main);
  }

  public static TestServer start(Vertx vertx) {
    return start(vertx, new JsonObject());
  }

  public int ingestPort() {
    return main.ingestPort();
  }

  public int bridgePort() {
    return main.bridgePort();
  }

  public WebClient http() {
    return http;
  }

  public Future<HttpResponse<Buffer>> post(String path, Object body) {
    Buffer buffer = body instanceof Buffer b ? b : Buffer.buffer(body instanceof String s ? s
        : io.vertx.core.json.Json.encode(body));
    return http.post(ingestPort(), "127.0.0.1", path).sendBuffer(buffer);
  }

  /** POSTs one event and returns its seq. */
  public long postEvent(String type, JsonObject payload) {
    HttpResponse<Buffer> response = Await.result(post("/api/events",
        new JsonObject().put("type", type).put("payload", payload)));
    if (response.statusCode() != 200) {
      throw new AssertionError("POST " + type + " answered " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject().getLong("seq");
  }

  public JsonObject sessions() {
    return Await.result(http.get(ingestPort(), "127.0.0.1", "/api/sessions").send()).bodyAsJsonObject();
  }

  /** Asks again (every 20 ms, for at most 5 s) until the answer satisfies the condition: for state that settles. */
  public <T> Future<T> eventually(Supplier<Future<T>> ask, Predicate<T> condition) {
    return eventually(ask, condition, System.currentTimeMillis() + 5_000);
  }

  private <T> Future<T> eventually(Supplier<Future<T>> ask, Predicate<T> condition, long deadline) {
    return ask.get().compose(answer -> {
      if (condition.test(answer)) {
        return Future.succeededFuture(answer);
      }
      if (System.currentTimeMillis() > deadline) {
        return Future.failedFuture("condition not met; last answer: " + answer);
      }
      return vertx.timer(20).compose(t -> eventually(ask, condition, deadline));
    });
  }

  public Future<BridgeClient> rawWebSocket() {
    return RawWebSocketBridgeClient.connect(vertx, bridgePort());
  }

  public Future<BridgeClient> xhrStreaming() {
    return XhrStreamingBridgeClient.connect(vertx, bridgePort());
  }
}
