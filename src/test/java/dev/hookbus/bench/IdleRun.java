package dev.hookbus.bench;

import dev.hookbus.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * The idle mode: N SockJS WebSocket connections, each registered on {@code hookbus.events} as a dashboard tab is,
 * pinging every 5 s as the official client does, and no events. Reports what they cost the server (heap after a
 * full GC and RSS, before and after) and how fast {@code /health} still answers.
 */
final class IdleRun {
  private static final int HEALTH_PROBES = 200;

  private IdleRun() {
  }

  static JsonObject run(Vertx vertx, Target target, BenchOptions o) {
    Probe probe = new Probe(vertx);
    boolean gc = target.fullGc();
    long heapBefore = probe.get(target.bridgePort(), "/stats").getLong("heapUsed", -1L);
    long rssBefore = target.rssBytes();
    WebSocketClient client = LoadRun.webSocketClient(vertx, o.deflate());
    long connectStart = System.nanoTime();
    List<SockJsSubscriber> sockets = LoadRun.connect(vertx, client, target.bridgePort(), o.connections(),
        new Deliveries(), Addresses.EVENTS, o.token());
    double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
    probe.until(target.bridgePort(), "/health", h -> h.getInteger("connectedClients") >= o.connections()
        && Probe.subscribersOn(h, Addresses.EVENTS) >= o.connections(), 120);
    // Stay idle for longer than the bridge's ping timeout: a socket that was not kept alive would be closed by now.
    Probe.sleep((long) (o.durationSeconds() * 1000));
    target.fullGc();
    long heapAfter = probe.get(target.bridgePort(), "/stats").getLong("heapUsed", -1L);
    long rssAfter = target.rssBytes();
    Histogram bridgeHealth = health(probe, target.bridgePort());
    Histogram ingestHealth = health(probe, target.ingestPort());
    int connected = probe.get(target.bridgePort(), "/health").getInteger("connectedClients");
    long closed = sockets.stream().filter(SockJsSubscriber::closed).count();
    sockets.forEach(SockJsSubscriber::close);
    Probe.await(client.close(), 60);
    probe.close();
    int n = o.connections();
    return new JsonObject()
        .put("connections", n)
        .put("connectSeconds", LoadRun.round(connectSeconds))
        .put("idleSeconds", o.durationSeconds())
        .put("connectedAtEnd", connected)
        .put("closedByServer", closed)
        .put("fullGc", gc)
        .put("serverHeapBeforeMB", LoadRun.mb(heapBefore))
        .put("serverHeapAfterMB", LoadRun.mb(heapAfter))
        .put("heapPerConnectionKB", LoadRun.round((heapAfter - heapBefore) / 1024.0 / n))
        .put("serverRssBeforeMB", LoadRun.mb(rssBefore))
        .put("serverRssAfterMB", LoadRun.mb(rssAfter))
        .put("rssPerConnectionKB", LoadRun.round((rssAfter - rssBefore) / 1024.0 / n))
        .put("bridgeHealthMs", Deliveries.millis(bridgeHealth))
        .put("ingestHealthMs", Deliveries.millis(ingestHealth));
  }

  /** {@code GET /health} one after the other on a keep-alive connection. */
  private static Histogram health(Probe probe, int port) {
    Histogram histogram = new Histogram(60_000_000L, 3);
    for (int i = 0; i < HEALTH_PROBES; i++) {
      long start = System.nanoTime();
      probe.get(port, "/health");
      histogram.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
    }
    return histogram;
  }
}
