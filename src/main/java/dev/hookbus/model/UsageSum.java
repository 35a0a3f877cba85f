package dev.hookbus.model;

import io.vertx.core.json.JsonObject;

/**
 * Cost, tokens and API requests, summed: the live state's per source, model and agent, and {@code GET /api/usage}'s
 * rows. A mutable accumulator, owned by one thread at a time.
 */
public final class UsageSum {
  public double costUsd;
  public long input;
  public long output;
  public long cacheRead;
  public long cacheCreation;
  public long apiRequests;

  public void addTokens(String type, long tokens) {
    switch (type == null ? "" : type) {
      case "input" -> input += tokens;
      case "output" -> output += tokens;
      case "cacheRead" -> cacheRead += tokens;
      case "cacheCreation" -> cacheCreation += tokens;
      default -> {
      }
    }
  }

  public void add(UsageSum other) {
    costUsd += other.costUsd;
    input += other.input;
    output += other.output;
    cacheRead += other.cacheRead;
    cacheCreation += other.cacheCreation;
    apiRequests += other.apiRequests;
  }

  public UsageView.Tokens tokens() {
    return new UsageView.Tokens(input, output, cacheRead, cacheCreation);
  }

  public UsageView.ModelUsage view() {
    return new UsageView.ModelUsage(costUsd, tokens(), apiRequests);
  }

  /** Compact, for the checkpoint. */
  public JsonObject toJson() {
    return new JsonObject().put("c", costUsd).put("i", input).put("o", output).put("r", cacheRead)
        .put("w", cacheCreation).put("n", apiRequests);
  }

  public static UsageSum fromJson(JsonObject json) {
    UsageSum t = new UsageSum();
    t.costUsd = json.getDouble("c", 0.0);
    t.input = json.getLong("i", 0L);
    t.output = json.getLong("o", 0L);
    t.cacheRead = json.getLong("r", 0L);
    t.cacheCreation = json.getLong("w", 0L);
    t.apiRequests = json.getLong("n", 0L);
    return t;
  }
}
