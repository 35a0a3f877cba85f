package dev.hookbus.logging;

import io.vertx.core.http.HttpClosedException;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;

/**
 * Whether a failure only says that the peer went away (a closed tab, a killed client, {@code doctor} hanging up):
 * normal life for a server, worth a DEBUG line, never an ERROR.
 */
public final class ClientGone {
  private ClientGone() {
  }

  public static boolean is(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof HttpClosedException || t instanceof SocketException || t instanceof ClosedChannelException) {
        return true;
      }
      // Netty's native transport reports resets as its own IOException ("recvAddress(..) failed: Connection reset").
      if (t instanceof IOException && t.getMessage() != null
          && (t.getMessage().contains("Connection reset") || t.getMessage().contains("Broken pipe"))) {
        return true;
      }
    }
    return false;
  }

  /** {@code java.net.SocketException: Connection reset}: what a DEBUG line says about it. */
  public static String describe(Throwable failure) {
    return failure.getClass().getName() + ": " + failure.getMessage();
  }
}
