package dev.hookbus.state;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the log can keep transitions right now, as the last write found it, and how many events were refused
 * because it could not. The change is logged once each way (ERROR when writes start failing, INFO when one
 * succeeds again), not once per refused event. Lives on the actor's event loop.
 */
final class StoreHealth {
  private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);

  private boolean available = true;
  private long refusedEvents;

  void writeSucceeded() {
    if (!available) {
      available = true;
      LOG.info("the journal can be written again; accepting events ({} refused while it could not)", refusedEvents);
    }
  }

  void writeFailed(Throwable failure) {
    if (available) {
      available = false;
      LOG.error("the journal cannot be written ({}); events get 503 STORE_UNAVAILABLE and /health/ready says "
          + "not ready until a write succeeds", failure.getMessage());
    } else {
      LOG.debug("the journal still cannot be written: {}", failure.getMessage());
    }
  }

  void refused(int events) {
    refusedEvents += events;
  }

  boolean available() {
    return available;
  }

  long refusedEvents() {
    return refusedEvents;
  }
}
