package dev.hookbus.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What one benchmark run does. {@code rate} 0 means as fast as {@code concurrency} keep-alive connections allow;
 * {@code connections} > 0 selects the idle mode (open that many SockJS WebSockets, send no events).
 *
 * @param bigRate events per second of {@code bigBytes}-sized Write events, on their own connection
 * @param deflate whether subscribers offer the permessage-deflate WebSocket extension (browsers do)
 * @param serverEnv space-separated {@code KEY=value} environment for hookbus, e.g. {@code HOOKBUS_BRIDGE_INSTANCES=2}
 * @param route   {@code events} ({@code POST /api/events}) or {@code claude} ({@code POST /api/hooks/claude},
 *                the raw Claude Code hook JSON)
 * @param token   null, or a token that turns on ingest and viewer tokens (see {@link BenchAuth})
 * @param connectionSteps the idle mode's connection counts, ascending: RSS is read at each, the last is
 *                {@code connections}; with two or more the report has the RSS per connection as a slope
 * @param client  hookbus's subscribers: {@code java} ({@link SockJsSubscriber}) or {@code official} (the npm
 *                {@code @vertx/eventbus-bridge-client.js} in Node, {@link NodeSubscribers})
 * @param server  {@code hookbus}, {@code peer} (the seed design's Bun + Socket.IO server, driven with
 *                {@code socket.io-client}) or {@code both}, one after the other with the same load
 * @param peerDir the peer's sources (copied and installed under {@code target/})
 */
public record BenchOptions(String scenario, int subscribers, int rate, double durationSeconds,
                           double warmupSeconds, int concurrency, int bigRate, int bigBytes, int connections,
                           String route, boolean deflate, String jar, String serverOpts,
                           String serverEnv, String token, List<Integer> connectionSteps, String client,
                           String server, String peerDir) {

  /** The scenarios of the README table, by name. */
  static final Map<String, String> SCENARIOS = new LinkedHashMap<>();
  private static final String COMPARE = "compare-";
  private static final String BOTH_OFFICIAL = " --server both --client official";

  static {
    SCENARIOS.put("fast-1", "--subscribers 1 --rate 0");
    SCENARIOS.put("fast-10", "--subscribers 10 --rate 0");
    SCENARIOS.put("hooks-1000", "--subscribers 10 --rate 1000");
    SCENARIOS.put("claude-1000", "--subscribers 10 --rate 1000 --route claude");
    SCENARIOS.put("subs-100", "--subscribers 100 --rate 500");
    SCENARIOS.put("subs-1000", "--subscribers 1000 --rate 100");
    SCENARIOS.put("subs-1000-bridge2", "--subscribers 1000 --rate 100 --server-env HOOKBUS_BRIDGE_INSTANCES=2");
    SCENARIOS.put("big-mix", "--subscribers 10 --rate 500 --big-rate 5 --big-bytes 204800");
    SCENARIOS.put("idle-10000", "--connections 10000");
    // More deliveries than 2 cores can fan out, against a low fan-out bound: hookbus must answer 503 OVERLOADED,
    // lose nothing it acknowledged, and take events again once the fan-out has drained.
    SCENARIOS.put("overload", "--subscribers 200 --rate 0 --concurrency 32"
        + " --server-env HOOKBUS_SESSIONS_MAX_FANOUT_BACKLOG=100");
    // hookbus against the seed design's server, both through their official browser clients (--scenario compare).
    SCENARIOS.put(COMPARE + "subs-100", "--subscribers 100 --rate 500" + BOTH_OFFICIAL);
    SCENARIOS.put(COMPARE + "subs-1000", "--subscribers 1000 --rate 100" + BOTH_OFFICIAL);
    SCENARIOS.put(COMPARE + "fast-1", "--subscribers 1 --rate 0 --concurrency 32" + BOTH_OFFICIAL);
    SCENARIOS.put(COMPARE + "fast-1-nojournal", "--subscribers 1 --rate 0 --concurrency 32"
        + " --server-env HOOKBUS_STORE_ENABLED=false" + BOTH_OFFICIAL);
    SCENARIOS.put(COMPARE + "fast-10", "--subscribers 10 --rate 0 --concurrency 32" + BOTH_OFFICIAL);
    SCENARIOS.put(COMPARE + "idle", "--connections 2000,10000" + BOTH_OFFICIAL);
  }

  static BenchOptions defaults() {
    return new BenchOptions("custom", 1, 0, 10, 3, 16, 0, 204_800, 0, "events", true, "target/hookbus.jar", "", "",
        null, List.of(), "java", "hookbus", "../shared/peer-seed-socketio");
  }

  /** The servers this run measures, in order. */
  List<String> servers() {
    return server.equals("both") ? List.of("hookbus", "peer") : List.of(server);
  }

  boolean idle() {
    return connections > 0;
  }

  /** Parses the command line; {@code --scenario all} or a list of names expands to one options per scenario. */
  static List<BenchOptions> parse(String[] args) {
    List<String> names = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--scenario")) {
        String value = value(args, i++);
        names.addAll(switch (value) {
          case "all" -> SCENARIOS.keySet().stream().filter(n -> !n.startsWith(COMPARE)).toList();
          case "compare" -> SCENARIOS.keySet().stream().filter(n -> n.startsWith(COMPARE)).toList();
          default -> List.of(value.split(","));
        });
      } else {
        rest.add(args[i]);
      }
    }
    if (names.isEmpty()) {
      return List.of(apply(defaults(), rest.toArray(String[]::new)));
    }
    List<BenchOptions> runs = new ArrayList<>();
    for (String name : names) {
      String preset = SCENARIOS.get(name);
      if (preset == null) {
        throw new IllegalArgumentException("unknown scenario " + name + " (known: " + SCENARIOS.keySet() + ", all, compare)");
      }
      BenchOptions base = apply(defaults(), preset.split(" ")).withScenario(name);
      runs.add(apply(base, rest.toArray(String[]::new)));
    }
    return runs;
  }

  private static BenchOptions apply(BenchOptions o, String[] args) {
    String scenario = o.scenario;
    int subscribers = o.subscribers;
    int rate = o.rate;
    double duration = o.durationSeconds;
    double warmup = o.warmupSeconds;
    int concurrency = o.concurrency;
    int bigRate = o.bigRate;
    int bigBytes = o.bigBytes;
    int connections = o.connections;
    String route = o.route;
    boolean deflate = o.deflate;
    String jar = o.jar;
    String serverOpts = o.serverOpts;
    String serverEnv = o.serverEnv;
    String token = o.token;
    List<Integer> connectionSteps = o.connectionSteps;
    String client = o.client;
    String server = o.server;
    String peerDir = o.peerDir;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--subscribers" -> subscribers = Integer.parseInt(value(args, i++));
        case "--rate" -> rate = Integer.parseInt(value(args, i++));
        case "--duration" -> duration = Double.parseDouble(value(args, i++));
        case "--warmup" -> warmup = Double.parseDouble(value(args, i++));
        case "--concurrency" -> concurrency = Integer.parseInt(value(args, i++));
        case "--big-rate" -> bigRate = Integer.parseInt(value(args, i++));
        case "--big-bytes" -> bigBytes = Integer.parseInt(value(args, i++));
        case "--connections" -> {
          connectionSteps = Stream.of(value(args, i++).split(",")).map(Integer::parseInt).sorted().toList();
          connections = connectionSteps.get(connectionSteps.size() - 1);
        }
        case "--client" -> client = value(args, i++);
        case "--server" -> server = value(args, i++);
        case "--peer-dir" -> peerDir = value(args, i++);
        case "--route" -> route = value(args, i++);
        case "--deflate" -> deflate = Boolean.parseBoolean(value(args, i++));
        case "--jar" -> jar = value(args, i++);
        case "--server-opts" -> serverOpts = value(args, i++);
        case "--server-env" -> serverEnv = value(args, i++);
        case "--token" -> token = value(args, i++);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (!route.equals("events") && !route.equals("claude")) {
      throw new IllegalArgumentException("--route is events or claude");
    }
    if (!client.equals("java") && !client.equals("official")) {
      throw new IllegalArgumentException("--client is java or official");
    }
    if (!List.of("hookbus", "peer", "both").contains(server)) {
      throw new IllegalArgumentException("--server is hookbus, peer or both");
    }
    if (!server.equals("hookbus") && (!route.equals("events") || token != null || bigRate > 0)) {
      throw new IllegalArgumentException("the peer takes only POST /api/events, without tokens or big events");
    }
    return new BenchOptions(scenario, subscribers, rate, duration, warmup, concurrency, bigRate, bigBytes,
        connections, route, deflate, jar, serverOpts, serverEnv, token, connectionSteps, client, server, peerDir);
  }

  /** The server's environment, with the token checks when {@code --token} is given. */
  String effectiveServerEnv() {
    return token == null ? serverEnv : (serverEnv + " " + BenchAuth.serverEnv(token)).trim();
  }

  BenchOptions withScenario(String name) {
    return new BenchOptions(name, subscribers, rate, durationSeconds, warmupSeconds, concurrency, bigRate,
        bigBytes, connections, route, deflate, jar, serverOpts, serverEnv, token, connectionSteps, client, server,
        peerDir);
  }

  private static String value(String[] args, int i) {
    if (i + 1 >= args.length) {
      throw new IllegalArgumentException(args[i] + " needs a value");
    }
    return args[i + 1];
  }
}
