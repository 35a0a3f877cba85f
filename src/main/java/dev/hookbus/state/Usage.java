package dev.hookbus.state;

import dev.hookbus.model.UsageSum;
import dev.hookbus.model.UsageView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Claude Code's OpenTelemetry export says one session used, summed. Cost and tokens arrive twice when both
 * exporters are on: as metric sums and as one api_request log event per call. They are kept apart and never added
 * together: cost comes from the metric sums once any cost point arrived (complete, including what no log event
 * reports), else from the api_request events (logs come every 5 s, metrics every 10 to 60 s); tokens likewise. Cumulative series
 * are turned into deltas here, by their last value; one that goes down, or starts again, was reset.
 */
final class Usage {
  /** One source of cost and tokens: in all, by model, by agent. */
  static final class Side {
    final UsageSum total = new UsageSum();
    final Map<String, UsageSum> byModel = new TreeMap<>();
    final Map<String, UsageSum> byAgent = new TreeMap<>();
    boolean costSeen;
    boolean tokensSeen;

    void cost(String model, String agent, double usd) {
      costSeen = true;
      for (UsageSum t : targets(model, agent)) {
        if (t != null) {
          t.costUsd += usd;
        }
      }
    }

    void tokens(String model, String agent, String type, long tokens) {
      tokensSeen = true;
      for (UsageSum t : targets(model, agent)) {
        if (t != null) {
          t.addTokens(type, tokens);
        }
      }
    }

    void request(String model, String agent) {
      for (UsageSum t : targets(model, agent)) {
        if (t != null) {
          t.apiRequests++;
        }
      }
    }

    private UsageSum[] targets(String model, String agent) {
      return new UsageSum[] {total, byModel.computeIfAbsent(model == null ? "unknown" : model, m -> new UsageSum()),
          agent == null ? null : byAgent.computeIfAbsent(agent, a -> new UsageSum())};
    }

    JsonObject toJson() {
      JsonObject models = new JsonObject();
      byModel.forEach((k, v) -> models.put(k, v.toJson()));
      JsonObject agents = new JsonObject();
      byAgent.forEach((k, v) -> agents.put(k, v.toJson()));
      return new JsonObject().put("total", total.toJson()).put("byModel", models).put("byAgent", agents)
          .put("costSeen", costSeen).put("tokensSeen", tokensSeen);
    }

    void load(JsonObject json) {
      total.add(UsageSum.fromJson(json.getJsonObject("total")));
      json.getJsonObject("byModel").forEach(e -> byModel.put(e.getKey(), UsageSum.fromJson((JsonObject) e.getValue())));
      json.getJsonObject("byAgent").forEach(e -> byAgent.put(e.getKey(), UsageSum.fromJson((JsonObject) e.getValue())));
      costSeen = json.getBoolean("costSeen", false);
      tokensSeen = json.getBoolean("tokensSeen", false);
    }
  }

  final Side metrics = new Side();
  final Side requests = new Side();
  long apiErrors;
  double linesAdded;
  double linesRemoved;
  double activeTimeS;
  double commits;
  double pullRequests;
  Map<String, Object> lastApiError;
  /** Each cumulative series seen: its start time and last value ({startMs, value}). */
  final Map<String, double[]> cumulative = new HashMap<>();
  /** Changed since the last {@code usage:update}. */
  boolean changed;

  /** Where the cost comes from: the metric sums once any cost point arrived, else the api_request events. */
  Side costSide() {
    return metrics.costSeen ? metrics : requests;
  }

  /** Where the tokens come from, by the same rule. */
  Side tokenSide() {
    return metrics.tokensSeen ? metrics : requests;
  }

  boolean knowsCost() {
    return metrics.costSeen || requests.costSeen;
  }

  /** Cost from {@link #costSide()}, tokens from {@link #tokenSide()}, API requests from the events. */
  static UsageSum combined(UsageSum cost, UsageSum tokens, UsageSum requests) {
    UsageSum t = new UsageSum();
    if (cost != null) {
      t.costUsd = cost.costUsd;
    }
    if (tokens != null) {
      t.input = tokens.input;
      t.output = tokens.output;
      t.cacheRead = tokens.cacheRead;
      t.cacheCreation = tokens.cacheCreation;
    }
    if (requests != null) {
      t.apiRequests = requests.apiRequests;
    }
    return t;
  }

  Map<String, UsageSum> byModel() {
    return combined(costSide().byModel, tokenSide().byModel, requests.byModel);
  }

  Map<String, UsageSum> byAgent() {
    return combined(costSide().byAgent, tokenSide().byAgent, requests.byAgent);
  }

  private static Map<String, UsageSum> combined(Map<String, UsageSum> cost, Map<String, UsageSum> tokens,
                                                   Map<String, UsageSum> counted) {
    Map<String, UsageSum> out = new TreeMap<>();
    java.util.Set<String> keys = new java.util.TreeSet<>(cost.keySet());
    keys.addAll(tokens.keySet());
    keys.addAll(counted.keySet());
    for (String key : keys) {
      out.put(key, combined(cost.get(key), tokens.get(key), counted.get(key)));
    }
    return out;
  }

  /** The delta a point adds: itself for a delta series; for a cumulative one what it grew since the last point. */
  double delta(String series, String temporality, double value, long startMs) {
    if (!"cumulative".equals(temporality)) {
      return value;
    }
    double[] last = cumulative.put(series, new double[] {startMs, value});
    if (last == null || (long) last[0] != startMs || value < last[1]) {
      return value;
    }
    return value - last[1];
  }

  UsageView view() {
    Map<String, UsageView.ModelUsage> models = new LinkedHashMap<>();
    byModel().forEach((model, t) -> models.put(model, t.view()));
    Map<String, UsageView.ModelUsage> agents = new LinkedHashMap<>();
    byAgent().forEach((agent, t) -> agents.put(agent, t.view()));
    return new UsageView(name(costSide()), name(tokenSide()), costSide().total.costUsd, tokenSide().total.tokens(),
        models, agents, requests.total.apiRequests, apiErrors, Math.round(linesAdded), Math.round(linesRemoved),
        activeTimeS, Math.round(commits), Math.round(pullRequests), lastApiError);
  }

  private String name(Side side) {
    return side == metrics ? "metrics" : "api-requests";
  }

  JsonObject toJson() {
    JsonObject series = new JsonObject();
    cumulative.forEach((k, v) -> series.put(k, new JsonArray().add(v[0]).add(v[1])));
    return new JsonObject().put("metrics", metrics.toJson()).put("requests", requests.toJson())
        .put("apiErrors", apiErrors).put("linesAdded", linesAdded).put("linesRemoved", linesRemoved)
        .put("activeTimeS", activeTimeS).put("commits", commits).put("pullRequests", pullRequests)
        .put("lastApiError", lastApiError == null ? null : new JsonObject(lastApiError)).put("series", series)
        .put("changed", changed);
  }

  static Usage fromJson(JsonObject json) {
    Usage u = new Usage();
    u.metrics.load(json.getJsonObject("metrics"));
    u.requests.load(json.getJsonObject("requests"));
    u.apiErrors = json.getLong("apiErrors", 0L);
    u.linesAdded = json.getDouble("linesAdded", 0.0);
    u.linesRemoved = json.getDouble("linesRemoved", 0.0);
    u.activeTimeS = json.getDouble("activeTimeS", 0.0);
    u.commits = json.getDouble("commits", 0.0);
    u.pullRequests = json.getDouble("pullRequests", 0.0);
    JsonObject error = json.getJsonObject("lastApiError");
    u.lastApiError = error == null ? null : new LinkedHashMap<>(error.getMap());
    json.getJsonObject("series").forEach(e -> {
      JsonArray v = (JsonArray) e.getValue();
      u.cumulative.put(e.getKey(), new double[] {v.getDouble(0), v.getDouble(1)});
    });
    u.changed = json.getBoolean("changed", false);
    return u;
  }
}
