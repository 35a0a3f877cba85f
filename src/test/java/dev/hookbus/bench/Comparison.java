package dev.hookbus.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Function;

/**
 * hookbus's and the peer's results of one scenario side by side, with the ratio (hookbus ÷ peer), as a JSON line
 * and as rows of a Markdown table. The generator's own CPU is there too, to say when it and not the server was the
 * limit: the JVM sends from one event loop, each Node process receives on one.
 */
final class Comparison {
  private static final double SATURATED_CORE = 0.9;
  private static final double MACHINE_FULL = 0.9;
  private static final double BEHIND_MS = 10;

  private Comparison() {
  }

  static JsonObject of(BenchOptions o, JsonObject hookbus, JsonObject peer) {
    JsonArray rows = new JsonArray();
    if (o.idle()) {
      row(rows, "RSS per connection, KB (slope " + o.connectionSteps() + ")", hookbus, peer,
          r -> r.getValue("rssSlopeKBPerConnection") == null ? r.getDouble("rssPerConnectionKB")
              : r.getDouble("rssSlopeKBPerConnection"));
      JsonArray hookbusSteps = hookbus.getJsonArray("steps");
      for (int i = 0; i < hookbusSteps.size(); i++) {
        int step = i;
        row(rows, "server RSS MB at " + hookbusSteps.getJsonObject(i).getInteger("connections") + " connections",
            hookbus, peer, r -> r.getJsonArray("steps").getJsonObject(step).getDouble("serverRssMB"));
      }
      text(rows, "connections kept (closed by server)", hookbus, peer,
          r -> r.getInteger("connectedAtEnd") + " (" + r.getLong("closedByServer") + ")");
      row(rows, "/health ms p99", hookbus, peer, r -> r.getJsonObject("bridgeHealthMs").getDouble("p99"));
    } else {
      row(rows, "server CPU per delivery, µs", hookbus, peer, r -> r.getDouble("serverCpuPerDeliveryUs"));
      row(rows, "of it in the kernel (system calls), µs per delivery", hookbus, peer,
          r -> r.getJsonObject("serverCpuSplit").getDouble("systemUsPerUnit"));
      row(rows, "of it in user space, µs per delivery", hookbus, peer,
          r -> r.getJsonObject("serverCpuSplit").getDouble("userUsPerUnit"));
      text(rows, "busiest server thread: µs per delivery user + kernel", hookbus, peer, Comparison::busiestThread);
      row(rows, "server CPU per event, µs", hookbus, peer, r -> r.getDouble("serverCpuPerEventUs"));
      row(rows, "server cores", hookbus, peer, r -> r.getDouble("serverCores"));
      row(rows, "events/s accepted", hookbus, peer, r -> r.getDouble("ingestPerSec"));
      row(rows, "end-to-end p50 ms", hookbus, peer, r -> r.getJsonObject("e2eMs").getDouble("p50"));
      row(rows, "end-to-end p99 ms", hookbus, peer, r -> r.getJsonObject("e2eMs").getDouble("p99"));
      row(rows, "hook reply p99 ms", hookbus, peer, r -> r.getJsonObject("hookReplyMs").getDouble("p99"));
      row(rows, "server RSS MB after the run", hookbus, peer, r -> r.getDouble("serverRssMB"));
      text(rows, "lost / duplicated / out of order", hookbus, peer, r -> r.getLong("lost") + " / "
          + r.getLong("duplicated") + " / " + (r.getLong("outOfOrderBySeq") + r.getLong("outOfOrderByGen")));
      text(rows, "generator cores: JVM sender / Node subscribers", hookbus, peer, Comparison::generator);
      row(rows, "generator send lag p99 ms (sends later than due)", hookbus, peer,
          r -> r.getJsonObject("sendLagMs").getDouble("p99", 0.0));
      row(rows, "Node subscribers' event-loop delay p99 ms", hookbus, peer, Comparison::loopDelayP99);
      text(rows, "limit", hookbus, peer, Comparison::limit);
    }
    text(rows, "CPU pressure before, % (/proc/pressure/cpu some avg10)", hookbus, peer,
        r -> String.valueOf(r.getDouble("cpuPressureBefore", -1.0)));
    return new JsonObject().put("scenario", o.scenario()).put("comparison", rows)
        .put("loadAvgBefore", hookbus.getString("loadAvgBefore"));
  }

  private static String generator(JsonObject r) {
    double node = r.getDouble("nodeSubscriberCores");
    return LoadRun.round(r.getDouble("generatorCores") - node) + " / " + node;
  }

  private static String busiestThread(JsonObject r) {
    JsonArray threads = r.getJsonObject("serverCpuSplit").getJsonArray("threads");
    if (threads.isEmpty()) {
      return "-";
    }
    JsonObject thread = threads.getJsonObject(0);
    return thread.getString("name") + ": " + thread.getDouble("userUsPerUnit") + " + "
        + thread.getDouble("systemUsPerUnit");
  }

  private static double loopDelayP99(JsonObject r) {
    return r.getJsonObject("nodeLoopDelayMs", new JsonObject()).getDouble("p99", 0.0);
  }

  /** Who was at a core (or the machine full) while the load ran. */
  static String limit(JsonObject r) {
    double node = r.getDouble("nodeSubscriberCores");
    double jvm = r.getDouble("generatorCores") - node;
    int nodeProcesses = r.getInteger("nodeProcesses", 1);
    double total = r.getDouble("serverCores") + r.getDouble("generatorCores");
    StringBuilder limit = new StringBuilder();
    if (node / nodeProcesses >= SATURATED_CORE) {
      limit.append("Node subscribers at a core; ");
    }
    if (loopDelayP99(r) >= BEHIND_MS) {
      limit.append("Node subscribers behind (event-loop delay p99 " + loopDelayP99(r) + " ms); ");
    }
    if (jvm >= SATURATED_CORE) {
      limit.append("generator JVM at a core; ");
    }
    if (total >= MACHINE_FULL * r.getInteger("cores")) {
      limit.append("both cores busy (" + LoadRun.round(total) + "); ");
    }
    if (r.getDouble("serverCores") >= SATURATED_CORE) {
      limit.append("server at " + r.getDouble("serverCores") + " cores; ");
    }
    if (r.getValue("targetRate") instanceof Number) {
      limit.append("fixed rate; ");
    }
    if (limit.isEmpty()) {
      limit.append("nothing at a core: waits (the journal's fsync, or the CPU other builds took); ");
    }
    return limit.toString().replaceAll("; $", "");
  }

  private static void row(JsonArray rows, String metric, JsonObject hookbus, JsonObject peer,
                          Function<JsonObject, Double> value) {
    double h = value.apply(hookbus);
    double p = value.apply(peer);
    rows.add(new JsonObject().put("metric", metric).put("hookbus", h).put("peer", p)
        .put("ratio", p == 0 ? null : LoadRun.round(h / p)));
  }

  private static void text(JsonArray rows, String metric, JsonObject hookbus, JsonObject peer,
                           Function<JsonObject, String> value) {
    rows.add(new JsonObject().put("metric", metric).put("hookbus", value.apply(hookbus))
        .put("peer", value.apply(peer)));
  }

  /** The Markdown table of all compared scenarios. */
  static String table(List<JsonObject> comparisons) {
    StringBuilder md = new StringBuilder("| scenario | metric | hookbus | peer (Bun + Socket.IO) | hookbus ÷ peer |\n"
        + "|---|---|---|---|---|\n");
    for (JsonObject c : comparisons) {
      for (Object o : c.getJsonArray("comparison")) {
        JsonObject row = (JsonObject) o;
        md.append("| `").append(c.getString("scenario")).append("` | ").append(row.getString("metric"))
            .append(" | ").append(row.getValue("hookbus")).append(" | ").append(row.getValue("peer")).append(" | ")
            .append(row.getValue("ratio") == null ? "" : row.getValue("ratio")).append(" |\n");
      }
    }
    return md.toString();
  }
}
