package dev.hookbus.bridge;

import io.vertx.core.json.JsonObject;

/**
 * What the dashboard page needs to know that only the server knows, served as {@code GET /config.json} on the
 * bridge port. Ingest starts after the bridge (it redirects to the dashboard), so its port is filled in once
 * ingest listens; until then the page sees {@code null} and asks again later.
 */
public final class DashboardInfo {
  private volatile Integer ingestPort;

  public void ingestListening(int port) {
    ingestPort = port;
  }

  JsonObject json() {
    return new JsonObject().put("ingestPort", ingestPort);
  }
}
