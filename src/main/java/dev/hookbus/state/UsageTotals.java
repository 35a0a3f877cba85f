package dev.hookbus.state;

import dev.hookbus.model.UsageView;
import io.vertx.core.json.JsonObject;

/** Cost, tokens and API requests, summed; one per source, model or agent of a {@link Usage}. */
final class UsageTotals {
  double costUsd;
  long input;
  long output;
  long cacheRead;
  long cacheCreation;
  long apiRequests;

  void addTokens(String type, long tokens) {
    switch (type == null ? "" : type) {
      case "input" -> input += tokens;
      case "output" -> output += tokens;
      case "cacheRead" -> cacheRead += tokens;
      case "cacheCreation" -> cacheCreation += tokens;
      default -> {
      }
    }
  }

  void add(UsageTotals other) {
    costUsd += other.costUsd;
    input += other.input;
    output += other.output;
    cacheRead += other.cacheRead;
    cacheCreation += other.cacheCreation;
    apiRequests += other.apiRequests;
  }

  UsageView.Tokens tokens() {
    return new UsageView.Tokens(input, output, cacheRead, cacheCreation);
  }

  UsageView.ModelUsage view() {
    return new UsageView.ModelUsage(costUsd, tokens(), apiRequests);
  }

  JsonObject toJson() {
    return new JsonObject().put("c", costUsd).put("i", input).put("o", output).put("r", cacheRead)
        .put("w", cacheCreation).put("n", apiRequests);
  }

  static UsageTotals fromJson(JsonObject json) {
    UsageTotals t = new UsageTotals();
    t.costUsd = json.getDouble("c", 0.0);
    t.input = json.getLong("i", 0L);
    t.output = json.getLong("o", 0L);
    t.cacheRead = json.getLong("r", 0L);
    t.cacheCreation = json.getLong("w", 0L);
    t.apiRequests = json.getLong("n", 0L);
    return t;
  }
}
