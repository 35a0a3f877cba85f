package dev.hookbus.cli;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@code hookbus doctor}: is ingest up, is the bridge up, are hooks installed and aimed at this server, and does
 * an event make it all the way to a bridge subscriber. Plain JDK HTTP and WebSocket: it runs outside the server.
 */
final class Doctor {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final PrintWriter out;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private int failures;

  Doctor(PrintWriter out) {
    this.out = out;
  }

  /** @return 0 when every check passed, 1 otherwise */
  int run(String baseUrl, String bridgeUrl, List<Path> settingsFiles) {
    return run(baseUrl, bridgeUrl, settingsFiles, SettingsChecks.MANAGED);
  }

  int run(String baseUrl, String bridgeUrl, List<Path> settingsFiles, List<Path> managedFiles) {
    String ingest = trim(baseUrl);
    check("ingest " + ingest + "/health", () -> get(ingest + "/health"));
    String bridge = bridgeUrl != null ? trim(bridgeUrl) : discoverBridge(ingest);
    check("bridge " + bridge + "/health", () -> get(bridge + "/health"));
    check("hooks installed and pointing at " + HooksInstaller.hookUrl(ingest), () -> hooks(ingest, settingsFiles));
    check("managed settings", () -> SettingsChecks.managed(ingest, managedFiles, settingsFiles));
    check("OpenTelemetry export", () -> SettingsChecks.otel(ingest, settingsFiles));
    check("test event reaches a bridge subscriber", () -> roundTrip(ingest, bridge));
    out.println(failures == 0 ? "verdict: all good" : "verdict: " + failures + " check(s) failed");
    return failures == 0 ? 0 : 1;
  }

  private interface Check {
    String run() throws Exception;
  }

  private void check(String name, Check check) {
    try {
      out.println("ok    " + name + " — " + check.run());
    } catch (Exception e) {
      failures++;
      String why = e instanceof java.net.ConnectException || e.getCause() instanceof java.net.ConnectException
          || String.valueOf(e.getMessage()).contains("ConnectException")
          ? "cannot connect; is hookbus running? (java -jar hookbus.jar)"
          : e.getMessage() == null ? e.toString() : e.getMessage();
      out.println("FAIL  " + name + " — " + why);
    }
  }

  private String get(String url) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + response.statusCode());
    }
    return "HTTP 200 " + response.body();
  }

  /** Ingest redirects {@code /} to the dashboard, which is served by the bridge. */
  private String discoverBridge(String ingest) {
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(ingest + "/")).timeout(TIMEOUT)
          .build(), HttpResponse.BodyHandlers.discarding());
      String location = response.headers().firstValue("location").orElse(null);
      if (location != null) {
        return trim(location);
      }
    } catch (Exception ignored) {
      // fall through to the default port; the bridge check will say what is wrong
    }
    return "http://127.0.0.1:3848";
  }

  private String hooks(String ingest, List<Path> files) {
    String expected = HooksInstaller.hookUrl(ingest);
    StringBuilder found = new StringBuilder();
    int ours = 0;
    for (Path file : files) {
      List<String[]> hooks = HooksInstaller.ours(SettingsFile.read(file).json().getJsonObject("hooks",
          new JsonObject()));
      for (String[] hook : hooks) {
        if (!hook[1].contains(expected)) {
          throw new IllegalStateException(file + " has a hookbus hook on " + hook[0] + " aimed at " + hook[1]
              + "; run hooks install --url " + ingest);
        }
      }
      if (!hooks.isEmpty()) {
        ours += hooks.size();
        found.append(found.length() == 0 ? "" : ", ").append(file).append(" (").append(hooks.size()).append(")");
      }
    }
    if (ours == 0) {
      throw new IllegalStateException("no hookbus hooks in " + files + "; run: java -jar hookbus.jar hooks install");
    }
    return found.toString();
  }

  private String roundTrip(String ingest, String bridge) throws Exception {
    String nonce = UUID.randomUUID().toString();
    CompletableFuture<Long> received = new CompletableFuture<>();
    URI ws = URI.create(bridge.replaceFirst("^http", "ws") + "/eventbus/websocket");
    WebSocket socket;
    try {
      socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT)
          .buildAsync(ws, new Listener(nonce, received)).get(3, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException handshake) {
        throw new IllegalStateException("WebSocket " + ws + " refused: HTTP " + handshake.getResponse().statusCode()
            + " " + handshake.getResponse().body());
      }
      throw new IllegalStateException("WebSocket " + ws + ": " + e.getCause());
    }
    try {
      socket.sendText("{\"type\":\"register\",\"address\":\"hookbus.events\"}", true).get(3, TimeUnit.SECONDS);
      String event = new JsonObject().put("type", "hookbus:doctor").put("payload",
          new JsonObject().put("nonce", nonce)).encode();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      // The bridge registers asynchronously and says nothing when done: post until the echo arrives.
      while (!received.isDone() && System.nanoTime() < deadline) {
        http.send(HttpRequest.newBuilder(URI.create(ingest + "/api/events")).timeout(TIMEOUT)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.discarding());
        try {
          return "received as seq " + received.get(300, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException notYet) {
          // post again
        }
      }
      throw new IllegalStateException("nothing arrived on hookbus.events within 5 s");
    } finally {
      socket.abort();
    }
  }

  private static String trim(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** The raw bridge endpoint sends binary frames; text is handled too, to be safe. */
  private static final class Listener implements WebSocket.Listener {
    private final String nonce;
    private final CompletableFuture<Long> received;
    private final StringBuilder partial = new StringBuilder();

    Listener(String nonce, CompletableFuture<Long> received) {
      this.nonce = nonce;
      this.received = received;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      return onText(webSocket, StandardCharsets.UTF_8.decode(data), last);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String frame = partial.toString();
        partial.setLength(0);
        if (frame.contains(nonce)) {
          JsonObject body = new JsonObject(frame).getJsonObject("body", new JsonObject());
          received.complete(body.getLong("seq", -1L));
        }
      }
      webSocket.request(1);
      return null;
    }
  }
}
