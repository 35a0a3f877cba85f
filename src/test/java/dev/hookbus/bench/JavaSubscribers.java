package dev.hookbus.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;

import java.util.BitSet;
import java.util.List;

/** Today's subscribers: {@link SockJsSubscriber}s on this JVM's event loops, hookbus only. */
final class JavaSubscribers implements Subscribers {
  private final WebSocketClient client;
  private final List<SockJsSubscriber> subscribers;

  private JavaSubscribers(WebSocketClient client, List<SockJsSubscriber> subscribers) {
    this.client = client;
    this.subscribers = subscribers;
  }

  static JavaSubscribers connect(Vertx vertx, int port, int count, Deliveries deliveries, String address,
                                 BenchOptions o) {
    WebSocketClient client = LoadRun.webSocketClient(vertx, o.deflate());
    return new JavaSubscribers(client, LoadRun.connect(vertx, client, port, count, deliveries, address, o.token()));
  }

  @Override
  public long received() {
    return subscribers.stream().mapToLong(SockJsSubscriber::received).sum();
  }

  @Override
  public int closed() {
    return (int) subscribers.stream().filter(SockJsSubscriber::closed).count();
  }

  @Override
  public void addTo(Deliveries.Totals totals, Deliveries deliveries, BitSet accepted) {
    subscribers.forEach(s -> s.addTo(totals, accepted));
  }

  @Override
  public double extraCpuSeconds() {
    return 0;
  }

  @Override
  public void close() {
    subscribers.forEach(SockJsSubscriber::close);
    Probe.await(client.close(), 60);
  }
}
