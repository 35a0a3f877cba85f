package dev.hookbus.bench;

import java.util.BitSet;

/**
 * The subscribers of one run, whoever hosts them: this JVM ({@link JavaSubscribers}) or Node processes running
 * the official browser clients ({@link NodeSubscribers}).
 */
interface Subscribers extends AutoCloseable {
  /** Distinct generated events received so far, summed over all subscribers. */
  long received();

  /** Sockets closed so far (by the server or the network). */
  int closed();

  /**
   * Adds every subscriber's counters to {@code totals} and its end-to-end latencies to {@code deliveries}, where
   * they are not there already; {@code accepted} are the gens the server accepted.
   */
  void addTo(Deliveries.Totals totals, Deliveries deliveries, BitSet accepted);

  /** After {@link #addTo}: facts about the processes hosting the subscribers, merged into the result. */
  default io.vertx.core.json.JsonObject hostReport() {
    return new io.vertx.core.json.JsonObject();
  }

  /** CPU seconds used so far by the processes hosting the subscribers other than this JVM (0 if none). */
  double extraCpuSeconds();

  @Override
  void close();
}
