package dev.hookbus.bench;

import dev.hookbus.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A load scenario: N subscribers on {@code hookbus.events}, hooks POSTing at a rate, then the counters: what was
 * accepted, what every subscriber got (lost, duplicated, out of order), how long it took, what the server used.
 */
final class LoadRun {
  private static final long DELIVERY_STALL_MS = 5_000;

  private LoadRun() {
  }

  static JsonObject run(Vertx vertx, Target target, BenchOptions o) {
    Probe probe = new Probe(vertx);
    for (int s = 0; s < 4; s++) {
      probe.post(target.ingestPort(), "/api/events",
          "{\"type\":\"session:start\",\"payload\":{\"sessionId\":\"bench-" + s + "\"}}", o.token());
    }
    WebSocketClient wsClient = webSocketClient(vertx, o.deflate());
    Deliveries deliveries = new Deliveries();
    List<SockJsSubscriber> subscribers = connect(vertx, wsClient, target.bridgePort(), o.subscribers(), deliveries,
        Addresses.EVENTS, o.token());
    probe.until(target.bridgePort(), "/health",
        h -> Probe.subscribersOn(h, Addresses.EVENTS) >= o.subscribers(), 120);

    double cpuStart = target.cpuSeconds();
    double ownCpuStart = Probe.ownCpuSeconds();
    HookLoad load = new HookLoad(vertx, target.ingestPort(), o);
    Future<Void> loaded = load.run();
    Probe.sleep((long) (o.warmupSeconds() * 1000));
    double cpuMeasured = target.cpuSeconds();
    double ownCpuMeasured = Probe.ownCpuSeconds();
    Probe.await(loaded, (long) (o.durationSeconds() + 120));
    double cpuEnd = target.cpuSeconds();
    double ownCpuEnd = Probe.ownCpuSeconds();

    long expectedEach = load.acceptedGens.cardinality();
    long drainStart = System.nanoTime();
    awaitDeliveries(subscribers, expectedEach);
    double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
    Deliveries.Totals totals = new Deliveries.Totals();
    subscribers.forEach(s -> s.addTo(totals, load.acceptedGens));
    // Once drained, hookbus must take events again by itself: the 503s stop.
    int afterDrain = probe.post(target.ingestPort(), "/api/events",
        "{\"type\":\"session:start\",\"payload\":{\"sessionId\":\"bench-0\"}}", o.token());
    target.fullGc();
    JsonObject stats = probe.get(target.bridgePort(), "/stats");
    subscribers.forEach(SockJsSubscriber::close);
    Probe.await(wsClient.close(), 30);
    probe.close();

    double seconds = load.measuredSeconds();
    return new JsonObject()
        .put("subscribers", o.subscribers())
        .put("targetRate", o.rate() == 0 ? "max" : o.rate())
        .put("bigRate", o.bigRate())
        .put("bigBytes", o.bigRate() > 0 ? o.bigBytes() : 0)
        .put("concurrency", o.concurrency())
        .put("warmupS", o.warmupSeconds())
        .put("durationS", round(seconds))
        .put("sent", load.sent)
        .put("sentBig", load.sentBig)
        .put("accepted", load.accepted)
        .put("failed", load.failed)
        .put("overloaded503", load.overloaded)
        .put("overloadedFirstS", round(load.firstOverloadedS))
        .put("overloadedLastS", round(load.lastOverloadedS))
        .put("statusAfterDrain", afterDrain)
        .put("ingestPerSec", round(load.acceptedMeasured / seconds))
        // Accepted events over the time until every subscriber had them: what the whole pipeline sustained.
        .put("drainS", round(drainSeconds))
        .put("sustainedPerSec", round(load.acceptedMeasured / (seconds + drainSeconds)))
        .put("hookReplyMs", Deliveries.millis(load.replySmall))
        .put("hookReplyBigMs", Deliveries.millis(load.replyBig))
        .put("sendLagMs", Deliveries.millis(load.sendLag))
        .put("deliveriesExpected", expectedEach * o.subscribers())
        .put("deliveriesReceived", totals.received)
        .put("lost", totals.lost)
        .put("duplicated", totals.duplicated)
        .put("outOfOrderBySeq", totals.outOfOrderBySeq)
        .put("outOfOrderByGen", totals.outOfOrderByGen)
        .put("seqGaps", totals.seqGaps)
        .put("errorFrames", totals.errorFrames)
        .put("closedSockets", totals.closedSockets)
        .put("e2eMs", Deliveries.millis(deliveries.small))
        .put("e2eBigMs", Deliveries.millis(deliveries.big))
        .put("serverCpuS", round(cpuEnd - cpuMeasured))
        .put("serverCores", round((cpuEnd - cpuMeasured) / seconds))
        .put("serverCpuTotalS", round(cpuEnd - cpuStart))
        .put("generatorCores", round((ownCpuEnd - ownCpuMeasured) / seconds))
        .put("serverRssMB", mb(target.rssBytes()))
        .put("serverHeapUsedMB", mb(stats.getLong("heapUsed", -1L)));
  }

  /** @param deflate offer permessage-deflate, as browsers do */
  static WebSocketClient webSocketClient(Vertx vertx, boolean deflate) {
    return vertx.createWebSocketClient(new WebSocketClientOptions()
        .setTryUsePerMessageCompression(deflate)
        .setMaxConnections(100_000)
        .setMaxFrameSize(16 * 1024 * 1024)
        .setMaxMessageSize(64 * 1024 * 1024)
        .setConnectTimeout(30_000));
  }

  /** Connects {@code count} subscribers, at most 200 handshakes at a time. */
  static List<SockJsSubscriber> connect(Vertx vertx, WebSocketClient client, int port, int count,
                                        Deliveries deliveries, String address, String token) {
    List<SockJsSubscriber> subscribers = new ArrayList<>(count);
    for (int first = 0; first < count; first += 200) {
      List<Future<SockJsSubscriber>> batch = new ArrayList<>();
      for (int i = first; i < Math.min(count, first + 200); i++) {
        batch.add(SockJsSubscriber.connect(vertx, client, port, address, deliveries, token));
      }
      Probe.await(Future.all(batch), 120);
      batch.forEach(f -> subscribers.add(f.result()));
    }
    return subscribers;
  }

  /** Waits until every subscriber has every accepted event, or nothing new arrived for a while (then: lost). */
  private static void awaitDeliveries(List<SockJsSubscriber> subscribers, long expectedEach) {
    long lastTotal = -1;
    long lastProgress = System.currentTimeMillis();
    while (true) {
      long total = subscribers.stream().mapToLong(SockJsSubscriber::received).sum();
      if (total >= expectedEach * subscribers.size()) {
        return;
      }
      if (total != lastTotal) {
        lastTotal = total;
        lastProgress = System.currentTimeMillis();
      } else if (System.currentTimeMillis() - lastProgress > DELIVERY_STALL_MS) {
        return;
      }
      Probe.sleep(20);
    }
  }

  static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  static double mb(long bytes) {
    return bytes < 0 ? -1 : round(bytes / 1048576.0);
  }
}
