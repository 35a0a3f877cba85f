package dev.hookbus.bench;

import dev.hookbus.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
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

  static JsonObject run(Vertx vertx, Target target, BenchOptions o) throws IOException, InterruptedException {
    Probe probe = new Probe(vertx);
    boolean hookbus = target.kind().equals("hookbus");
    for (int s = 0; s < 4; s++) {
      probe.post(target.ingestPort(), "/api/events",
          "{\"type\":\"session:start\",\"payload\":{\"sessionId\":\"bench-" + s + "\"}}", o.token());
    }
    Deliveries deliveries = new Deliveries();
    long connectStart = System.nanoTime();
    try (Subscribers subscribers = subscribe(vertx, target, o, o.subscribers(), deliveries)) {
      if (hookbus) {
        probe.until(target.bridgePort(), "/health",
            h -> Probe.subscribersOn(h, Addresses.EVENTS) >= o.subscribers(), 120);
      }
      double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
      double cpuStart = target.cpuSeconds();
      double ownCpuStart = generatorCpu(subscribers);
      HookLoad load = new HookLoad(vertx, target.ingestPort(), o);
      Future<Void> loaded = load.run();
      Probe.sleep((long) (o.warmupSeconds() * 1000));
      // Read before the CPU: a scrape of /metrics is not the server's work for the events.
      JournalFigures journalMeasured = hookbus ? JournalFigures.read(probe, target.ingestPort(), o.token()) : null;
      double cpuMeasured = target.cpuSeconds();
      ThreadCpu threadCpu = ThreadCpu.start(target.pid());
      double ownCpuMeasured = generatorCpu(subscribers);
      double nodeCpuMeasured = subscribers.extraCpuSeconds();
      Probe.await(loaded, (long) (o.durationSeconds() + 120));
      double cpuEnd = target.cpuSeconds();
      double ownCpuEnd = generatorCpu(subscribers);
      double nodeCpuEnd = subscribers.extraCpuSeconds();

      long expectedEach = load.acceptedGens.cardinality();
      long drainStart = System.nanoTime();
      awaitDeliveries(subscribers, expectedEach * o.subscribers());
      double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
      double cpuDrained = target.cpuSeconds();
      // Per delivery: the same span and deliveries as serverCpuPerDeliveryUs.
      JsonObject cpuSplit = threadCpu.since(load.acceptedMeasured * o.subscribers(), hookbus);
      JournalFigures journalEnd = hookbus ? JournalFigures.read(probe, target.ingestPort(), o.token()) : null;
      Deliveries.Totals totals = new Deliveries.Totals();
      subscribers.addTo(totals, deliveries, load.acceptedGens);
      long rss = target.rssBytes();
      // Once drained, hookbus must take events again by itself: the 503s stop.
      int afterDrain = probe.post(target.ingestPort(), "/api/events",
          "{\"type\":\"session:start\",\"payload\":{\"sessionId\":\"bench-0\"}}", o.token());
      target.fullGc();
      JsonObject stats = hookbus ? probe.get(target.bridgePort(), "/stats") : new JsonObject();
      probe.close();

      double seconds = load.measuredSeconds();
      long measuredDeliveries = load.acceptedMeasured * o.subscribers();
      JsonObject report = subscribers.hostReport();
      if (hookbus) {
        journalEnd.since(journalMeasured, seconds + drainSeconds, report);
      }
      return report
          .put("server", target.kind())
          .put("client", hookbus ? o.client() : "socket.io-client")
          .put("subscribers", o.subscribers())
          .put("connectS", round(connectSeconds))
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
          // From the end of the warmup until the last subscriber had the last event, over the deliveries of the
          // measured events: what one delivery costs the server, its ingest included.
          .put("serverCpuPerDeliveryUs", round((cpuDrained - cpuMeasured) * 1e6 / Math.max(1, measuredDeliveries)))
          .put("serverCpuSplit", cpuSplit)
          .put("serverCpuPerEventUs", round((cpuDrained - cpuMeasured) * 1e6 / Math.max(1, load.acceptedMeasured)))
          .put("generatorCores", round((ownCpuEnd - ownCpuMeasured) / seconds))
          .put("nodeSubscriberCores", round((nodeCpuEnd - nodeCpuMeasured) / seconds))
          .put("serverRssMB", mb(rss))
          .put("serverHeapUsedMB", mb(stats.getLong("heapUsed", -1L)));
    }
  }

  /**
   * Connects {@code count} subscribers: on hookbus to {@code hookbus.events} with {@code --client}'s client, on the
   * peer to every event type with socket.io-client. Returns once all are open; on hookbus their registers are then
   * sent, and the caller waits for {@code /health} to count them.
   */
  static Subscribers subscribe(Vertx vertx, Target target, BenchOptions o, int count, Deliveries deliveries)
      throws IOException, InterruptedException {
    if (target.kind().equals("peer")) {
      return NodeSubscribers.start("peer", target.bridgePort(), count, "", "");
    }
    return o.client().equals("official")
        ? NodeSubscribers.start("hookbus", target.bridgePort(), count, Addresses.EVENTS, BenchAuth.query(o.token()))
        : JavaSubscribers.connect(vertx, target.bridgePort(), count, deliveries, Addresses.EVENTS, o);
  }

  /** This JVM's CPU plus the Node subscribers': the whole load generator's. */
  private static double generatorCpu(Subscribers subscribers) {
    return Probe.ownCpuSeconds() + subscribers.extraCpuSeconds();
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

  /** Waits until the subscribers have {@code expected} deliveries, or nothing new arrived for a while (then: lost). */
  private static void awaitDeliveries(Subscribers subscribers, long expected) {
    long lastTotal = -1;
    long lastProgress = System.currentTimeMillis();
    while (true) {
      long total = subscribers.received();
      if (total >= expected) {
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
