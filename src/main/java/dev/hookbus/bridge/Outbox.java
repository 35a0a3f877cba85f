package dev.hookbus.bridge;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * Frames due to sockets of one verticle instance, collected during an event-loop turn and flushed once at its
 * end ({@code runOnContext}), so that several envelopes due to one socket leave in one write. Cuts off a socket
 * whose unsent bytes would pass {@code bridge.maxQueuedBytesPerSocket} (a slow consumer, close 4001).
 */
final class Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

  /** Past this many bytes due to one socket in one turn, they are written at once instead of at the turn's end. */
  private static final int EARLY_FLUSH_BYTES = 32 * 1024;

  private final Context context;
  private final BridgeGuard guard;
  private final BridgeStats stats;
  private final Consumer<BridgeSocket> onGone;
  private final ArrayList<BridgeSocket> dirty = new ArrayList<>();
  private final Handler<Void> flush = v -> flush();

  Outbox(Context context, BridgeGuard guard, BridgeStats stats, Consumer<BridgeSocket> onGone) {
    this.context = context;
    this.guard = guard;
    this.stats = stats;
    this.onGone = onGone;
  }

  void add(BridgeSocket socket, OutboundFrame frame) {
    if (socket.gone()) {
      return;
    }
    int size = frame.size(socket.sockJs);
    long unsent = socket.unsentBytes() + socket.pendingBytes();
    if (unsent + size > guard.config().maxQueuedBytesPerSocket()) {
      stats.slowConsumers.increment();
      LOG.warn("closing bridge socket from {}: slow consumer ({} bytes unsent)", socket.remoteAddress(), unsent);
      // The close frame queues behind the data the client does not read, so the socket may linger at the TCP
      // level until the peer goes; it gets nothing more from now on and no longer counts as connected.
      socket.close(4001, "slow consumer");
      return;
    }
    if (socket.queue(frame, size)) {
      if (dirty.isEmpty()) {
        context.runOnContext(flush);
      }
      dirty.add(socket);
    } else if (socket.pendingBytes() > EARLY_FLUSH_BYTES) {
      // A turn with a lot for one socket: write what it has so far, so that the queue cap sees it.
      socket.flush();
    }
  }

  /** The socket is closing or closed: it leaves its subscriptions and the counts now. */
  void gone(BridgeSocket socket) {
    if (!socket.gone()) {
      socket.markGone();
      onGone.accept(socket);
    }
  }

  private void flush() {
    for (int i = 0; i < dirty.size(); i++) {
      dirty.get(i).flush();
    }
    dirty.clear();
  }
}
