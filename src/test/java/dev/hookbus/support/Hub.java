package dev.hookbus.support;

import dev.hookbus.MainVerticle;
import dev.hookbus.bus.Addresses;
import dev.hookbus.config.AppConfig;
import dev.hookbus.store.Disk;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import static dev.hookbus.support.Await.result;

/** One running hookbus in the test's Vert.x, driven over real HTTP and the real event bus. */
public final class Hub {
  private final Vertx vertx;
  private final WebClient client;
  private final MainVerticle main;
  private final String deployment;

  private Hub(Vertx vertx, MainVerticle main, String deployment) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.main = main;
    this.deployment = deployment;
  }

  /** Free ports, one ingest instance, the journal in {@code storePath}. */
  public static AppConfig config(String storePath, JsonObject overrides) {
    JsonObject json = overrides.copy();
    JsonObject ingest = json.getJsonObject("ingest", new JsonObject()).put("instances", 1);
    return AppConfig.from(json.put("ingest", ingest)).onFreePorts().withStorePath(storePath);
  }

  public static Hub start(Vertx vertx, AppConfig config, Disk disk) {
    MainVerticle main = new MainVerticle(config, disk);
    return new Hub(vertx, main, result(vertx.deployVerticle(main)));
  }

  public void stop() {
    result(vertx.undeploy(deployment));
    client.close();
  }

  public HttpResponse<Buffer> post(String body) {
    return result(client.post(main.ingestPort(), "127.0.0.1", "/api/events").sendBuffer(Buffer.buffer(body)));
  }

  public HttpResponse<Buffer> get(String uri) {
    return result(client.get(main.ingestPort(), "127.0.0.1", uri).send());
  }

  public JsonObject sync() {
    return result(vertx.eventBus().<JsonObject>request(Addresses.SYNC, null)).body();
  }

  public JsonObject history(long since) {
    return result(vertx.eventBus().<JsonObject>request(Addresses.HISTORY, new JsonObject().put("since", since)))
        .body();
  }

  public int ingestPort() {
    return main.ingestPort();
  }

  public int bridgePort() {
    return main.bridgePort();
  }

  public static String event(String type, String sessionId, String extra) {
    return "{\"type\":\"" + type + "\",\"payload\":{\"sessionId\":\"" + sessionId + "\"" + extra + "}}";
  }
}
