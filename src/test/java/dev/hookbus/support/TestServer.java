package dev.hookbus.support;

import dev.hookbus.MainVerticle;
import dev.hookbus.bus.Addresses;
import dev.hookbus.config.AppConfig;
import dev.hookbus.store.Disk;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static dev.hookbus.support.Await.result;

/**
 * The real hookbus deployed in the test's Vert.x, on free ports unless told otherwise, without the journal unless
 * given a store path, driven over real HTTP and the real event bus. {@code TestServer.start(vertx)} for the
 * defaults; {@code TestServer.options()….start(vertx)} for config overrides, the journal, a failing {@link Disk},
 * a watched config file or fixed ports.
 */
public final class TestServer {
  private static final Duration SETTLE = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final MainVerticle main;
  private final String deployment;
  private final WebClient http;

  private TestServer(Vertx vertx, MainVerticle main, String deployment) {
    this.vertx = vertx;
    this.main = main;
    this.deployment = deployment;
    this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"),
        new PoolOptions().setHttp1MaxSize(32));
  }

  public static Options options() {
    return new Options();
  }

  /** Starts hookbus with the defaults on free ports, modified by {@code overrides} (same shape as config.json). */
  public static TestServer start(Vertx vertx, JsonObject overrides) {
    return options().config(overrides).start(vertx);
  }

  public static TestServer start(Vertx vertx) {
    return options().start(vertx);
  }

  /** How to start one; reusable, so a test can start the same hookbus again after {@link #stop()}. */
  public static final class Options {
    private JsonObject overrides = new JsonObject();
    private String storePath;
    private Disk disk = Disk.REAL;
    private String watchedConfigPath;
    private int ingestPort;
    private int bridgePort;

    private Options() {
    }

    /** Config overrides, same shape as config.json (merged section by section over what was given before). */
    public Options config(JsonObject json) {
      JsonObject merged = overrides.copy();
      json.forEach(section -> merged.put(section.getKey(), section.getValue() instanceof JsonObject s
          ? merged.getJsonObject(section.getKey(), new JsonObject()).mergeIn(s) : section.getValue()));
      overrides = merged;
      return this;
    }

    /** The journal on, in {@code path} (without this, or a {@code store} section of its own, it is off). */
    public Options store(Path path) {
      return store(path.toString());
    }

    public Options store(String path) {
      storePath = path;
      return this;
    }

    /** The journal writes through {@code disk} (the failure-injection seam). */
    public Options disk(Disk failing) {
      disk = failing;
      return this;
    }

    /** Watch this config file for live changes, as {@code -conf} does in production. */
    public Options watchConfig(Path file) {
      watchedConfigPath = file.toString();
      return this;
    }

    /** Fixed ports instead of free ones (0 = free), e.g. to restart on the ports a page is connected to. */
    public Options ports(int ingest, int bridge) {
      ingestPort = ingest;
      bridgePort = bridge;
      return this;
    }

    /** The config the server gets: the defaults, the overrides, its ports and store. */
    public AppConfig appConfig() {
      JsonObject json = overrides.copy();
      json.put("ingest", json.getJsonObject("ingest", new JsonObject()).copy().put("port", ingestPort));
      json.put("bridge", json.getJsonObject("bridge", new JsonObject()).copy().put("port", bridgePort));
      if (storePath != null) {
        json.put("store", json.getJsonObject("store", new JsonObject()).copy().put("enabled", true)
            .put("path", storePath));
      } else if (!json.containsKey("store")) {
        // Tests that do not ask for the journal must not share one in the working directory.
        json.put("store", new JsonObject().put("enabled", false));
      }
      return AppConfig.from(json);
    }

    /** Deploys hookbus and returns once both ports listen; a failed start throws with the cause's message. */
    public TestServer start(Vertx vertx) {
      AppConfig config = appConfig();
      if (watchedConfigPath != null && disk != Disk.REAL) {
        throw new IllegalArgumentException("MainVerticle takes a watched config file or a Disk, not both");
      }
      MainVerticle main = watchedConfigPath != null ? new MainVerticle(config, watchedConfigPath)
          : new MainVerticle(config, disk);
      return new TestServer(vertx, main, result(vertx.deployVerticle(main)));
    }
  }

  /** Undeploys hookbus (ingest, bridge, then the state actor and its journal). */
  public void stop() {
    result(vertx.undeploy(deployment));
    http.close();
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
    Buffer buffer = body instanceof Buffer b ? b : Buffer.buffer(body instanceof String s ? s : Json.encode(body));
    return http.post(ingestPort(), "127.0.0.1", path).sendBuffer(buffer);
  }

  /** POSTs {@code body} (one event or an array, as text) to {@code /api/events} and returns the answer. */
  public HttpResponse<Buffer> postEvents(String body) {
    return result(post("/api/events", body));
  }

  /** POSTs one event and returns its seq. */
  public long postEvent(String type, JsonObject payload) {
    HttpResponse<Buffer> response = result(post("/api/events",
        new JsonObject().put("type", type).put("payload", payload)));
    if (response.statusCode() != 200) {
      throw new AssertionError("POST " + type + " answered " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject().getLong("seq");
  }

  /** POSTs the events as one batch and returns the seq of each. */
  public List<Long> postBatch(JsonObject... events) {
    HttpResponse<Buffer> response = result(post("/api/events", new JsonArray(List.of((Object[]) events))));
    if (response.statusCode() != 200) {
      throw new AssertionError("ingest answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    List<Long> seqs = new ArrayList<>();
    response.bodyAsJsonObject().getJsonArray("seqs").forEach(seq -> seqs.add(((Number) seq).longValue()));
    return seqs;
  }

  /** GET on the ingest port. */
  public HttpResponse<Buffer> get(String uri) {
    return result(http.get(ingestPort(), "127.0.0.1", uri).send());
  }

  public JsonObject sessions() {
    return get("/api/sessions").bodyAsJsonObject();
  }

  /** The snapshot, asked on the event bus as a browser would. */
  public JsonObject sync() {
    return result(vertx.eventBus().<JsonObject>request(Addresses.SYNC, null)).body();
  }

  public JsonObject history(long since) {
    return result(vertx.eventBus().<JsonObject>request(Addresses.HISTORY, new JsonObject().put("since", since)))
        .body();
  }

  /** Asks until the answer satisfies the condition, for at most 5 s: for state that settles ({@link Eventually}). */
  public <T> Future<T> eventually(Supplier<Future<T>> ask, Predicate<T> condition) {
    return eventually(ask, condition, SETTLE);
  }

  public <T> Future<T> eventually(Supplier<Future<T>> ask, Predicate<T> condition, Duration within) {
    return Eventually.until(vertx, ask, condition, within);
  }

  public Future<BridgeClient> rawWebSocket() {
    return RawWebSocketBridgeClient.connect(vertx, bridgePort());
  }

  public Future<BridgeClient> sockJsWebSocket() {
    return SockJsWebSocketBridgeClient.connect(vertx, bridgePort());
  }

  public Future<BridgeClient> xhrStreaming() {
    return XhrStreamingBridgeClient.connect(vertx, bridgePort());
  }

  /** One event as JSON text: {@code extra} is appended inside the payload (",\"toolName\":\"Bash\"" or ""). */
  public static String event(String type, String sessionId, String extra) {
    return "{\"type\":\"" + type + "\",\"payload\":{\"sessionId\":\"" + sessionId + "\"" + extra + "}}";
  }
}
