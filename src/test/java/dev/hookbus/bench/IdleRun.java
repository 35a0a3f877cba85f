package dev.hookbus.bench;

import dev.hookbus.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The idle mode: N WebSocket connections and no events. On hookbus each is a SockJS session registered on
 * {@code hookbus.events} as a dashboard tab is, pinging every 5 s as the official client does; on the peer each is
 * a socket.io-client connection. Connections open in steps ({@code --connections 2000,10000}); the server's RSS
 * (and hookbus's heap after a full GC) is read before and at every step, and the RSS per connection between the
 * first and the last step is the slope (what one more connection costs, without the first ones' warm-up). Also
 * reports how fast {@code /health} still answers.
 */
final class IdleRun {
  private static final int HEALTH_PROBES = 200;

  private IdleRun() {
  }

  static JsonObject run(Vertx vertx, Target target, BenchOptions o) throws IOException, InterruptedException {
    Probe probe = new Probe(vertx);
    boolean hookbus = target.kind().equals("hookbus");
    boolean gc = target.fullGc();
    long heapBefore = heap(probe, target);
    long rssBefore = target.rssBytes();
    List<Integer> steps = o.connectionSteps().isEmpty() ? List.of(o.connections()) : o.connectionSteps();
    List<Subscribers> groups = new ArrayList<>();
    JsonArray atSteps = new JsonArray();
    long connectStart = System.nanoTime();
    int connected = 0;
    try {
      for (int step : steps) {
        groups.add(LoadRun.subscribe(vertx, target, o, step - connected, new Deliveries()));
        connected = step;
        int expected = step;
        if (hookbus) {
          probe.until(target.bridgePort(), "/health", h -> h.getInteger("connectedClients") >= expected
              && Probe.subscribersOn(h, Addresses.EVENTS) >= expected, 120);
        }
        target.fullGc();
        atSteps.add(new JsonObject().put("connections", step).put("serverRssMB", LoadRun.mb(target.rssBytes()))
            .put("serverHeapMB", LoadRun.mb(heap(probe, target))));
      }
      double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
      // Stay idle for longer than the bridge's ping timeout: a socket that was not kept alive would be closed by now.
      Probe.sleep((long) (o.durationSeconds() * 1000));
      target.fullGc();
      long heapAfter = heap(probe, target);
      long rssAfter = target.rssBytes();
      Histogram bridgeHealth = health(probe, target.bridgePort());
      Histogram ingestHealth = health(probe, target.ingestPort());
      int closed = groups.stream().mapToInt(Subscribers::closed).sum();
      int kept = hookbus ? probe.get(target.bridgePort(), "/health").getInteger("connectedClients")
          : connected - closed;
      probe.close();
      int n = o.connections();
      int first = steps.get(0);
      double slope = steps.size() < 2 ? Double.NaN
          : (atSteps.getJsonObject(steps.size() - 1).getDouble("serverRssMB")
              - atSteps.getJsonObject(0).getDouble("serverRssMB")) * 1024 / (n - first);
      return new JsonObject()
          .put("server", target.kind())
          .put("client", hookbus ? o.client() : "socket.io-client")
          .put("connections", n)
          .put("connectSeconds", LoadRun.round(connectSeconds))
          .put("idleSeconds", o.durationSeconds())
          .put("connectedAtEnd", kept)
          .put("closedByServer", closed)
          .put("fullGc", gc)
          .put("steps", atSteps)
          .put("serverHeapBeforeMB", LoadRun.mb(heapBefore))
          .put("serverHeapAfterMB", LoadRun.mb(heapAfter))
          .put("heapPerConnectionKB", hookbus ? LoadRun.round((heapAfter - heapBefore) / 1024.0 / n) : -1)
          .put("serverRssBeforeMB", LoadRun.mb(rssBefore))
          .put("serverRssAfterMB", LoadRun.mb(rssAfter))
          .put("rssPerConnectionKB", LoadRun.round((rssAfter - rssBefore) / 1024.0 / n))
          .put("rssSlopeKBPerConnection", Double.isNaN(slope) ? null : LoadRun.round(slope))
          .put("bridgeHealthMs", Deliveries.millis(bridgeHealth))
          .put("ingestHealthMs", Deliveries.millis(ingestHealth));
    } finally {
      groups.forEach(Subscribers::close);
    }
  }

  private static long heap(Probe probe, Target target) {
    return target.kind().equals("hookbus") ? probe.get(target.bridgePort(), "/stats").getLong("heapUsed", -1L) : -1;
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
