package dev.hookbus;

import dev.hookbus.cli.Cli;
import dev.hookbus.support.BridgeClient;
import dev.hookbus.support.HookbusProcess;
import dev.hookbus.support.RawWebSocketBridgeClient;
import dev.hookbus.support.StalledWebSocket;
import dev.hookbus.support.XhrStreamingBridgeClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a person reads in hookbus's log: a normal session (browsers come and go, abruptly or not, an HTTP client
 * hangs up mid-request, {@code doctor} runs, SIGTERM) writes no WARN or ERROR line; a port in use is named.
 */
class QuietLogsTest {
  private static final String ISO_8601_MS = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}[+-Z].*";

  @TempDir
  Path dir;

  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() {
    result(vertx.close());
  }

  @Test
  @DisplayName("a normal session writes no WARN or ERROR line, and every line starts with an ISO 8601 date")
  void normalSessionIsQuiet() throws Exception {
    HookbusProcess hookbus = HookbusProcess.launch().under(dir)
        .config("{\"ingest\":{\"port\":0},\"bridge\":{\"port\":0},\"store\":{\"path\":\""
            + dir.resolve("data") + "\"}}")
        .start();
    try {
      assertThat(hookbus.listening()).as(hookbus.log()).isTrue();
      int ingest = hookbus.ingestPort();
      int bridge = hookbus.bridgePort();

      BridgeClient raw = result(RawWebSocketBridgeClient.connect(vertx, bridge));
      BridgeClient xhr = result(XhrStreamingBridgeClient.connect(vertx, bridge));
      for (BridgeClient client : List.of(raw, xhr)) {
        result(client.register("hookbus.events"));
        result(client.request("hookbus.sync", new JsonObject()));
      }
      try (BrowserTab rawTab = BrowserTab.open(bridge, "/eventbus/websocket", false);
           BrowserTab sockJsTab = BrowserTab.open(bridge, "/eventbus/123/quietlogs/websocket", true)) {
        post(ingest, "{\"type\":\"session:start\",\"payload\":{\"sessionId\":\"quiet-1\"}}");
        result(raw.awaitCount("hookbus.events", 1));
        result(xhr.awaitCount("hookbus.events", 1));
        rawTab.awaitText("quiet-1");
        sockJsTab.awaitText("quiet-1");
        rawTab.slam();
        sockJsTab.slam();
      }
      result(raw.close());
      result(xhr.close());
      hangUpMidRequest(ingest);
      hangUpMidRequest(bridge);

      Path home = dir.resolve("home");
      ByteArrayOutputStream cliOutput = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(cliOutput, true, StandardCharsets.UTF_8);
      String url = "http://127.0.0.1:" + ingest;
      Cli cli = new Cli(out, out, java.util.Map.of(), options -> {
        throw new AssertionError("serve is not run here");
      });
      cli.run(new String[] {"hooks", "install", "--url", url, "--home", home.toString(), "--project",
          home.resolve("project").toString()});
      int doctor = cli.run(new String[] {"doctor", "--url", url, "--home", home.toString(), "--project",
          home.resolve("project").toString()});
      assertThat(doctor).as(cliOutput.toString(StandardCharsets.UTF_8)).isZero();
      post(ingest, "{\"type\":\"session:end\",\"payload\":{\"sessionId\":\"quiet-1\"}}");

      hookbus.sigterm();
      assertThat(hookbus.waitForExit()).isZero();
      String log = hookbus.log();
      List<String> lines = log.lines().toList();
      assertThat(lines).as(log).anyMatch(line -> line.contains("hookbus stopped"));
      assertThat(lines).as(log).noneMatch(line -> line.contains(" WARN ") || line.contains(" ERROR "));
      assertThat(lines).as(log).allMatch(line -> line.matches(ISO_8601_MS));
    } finally {
      hookbus.destroyIfAlive();
    }
  }

  @Test
  @DisplayName("a port in use stops the start with one line naming the server and the port, exit code 1")
  void portInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      HookbusProcess hookbus = HookbusProcess.start(dir, "{\"ingest\":{\"port\":" + port + "},\"bridge\":"
          + "{\"port\":0},\"store\":{\"enabled\":false}}");
      try {
        assertThat(hookbus.listening()).isFalse();
        assertThat(hookbus.waitForExit()).isEqualTo(1);
        List<String> errors = hookbus.log().lines().filter(line -> line.contains(" ERROR ")).toList();
        assertThat(errors).as(hookbus.log())
            .containsExactly(errors.isEmpty() ? "" : errors.get(0))
            .first().asString().endsWith("ingest cannot listen on 127.0.0.1:" + port + ": address already in use");
        assertThat(hookbus.log()).doesNotContain("\tat ");
      } finally {
        hookbus.destroyIfAlive();
      }
    }
  }

  private static void post(int port, String body) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/events"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  /**
   * A keep-alive client that gets one answer, then starts a POST, sends part of its body and resets the
   * connection; and one that closes politely mid-body.
   */
  private static void hangUpMidRequest(int port) throws IOException {
    for (boolean reset : new boolean[] {true, false}) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        readUntil(socket.getInputStream(), "\"timestamp\"");
        out.write(("POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: 1000\r\n\r\n{\"type\":\"to").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        if (reset) {
          socket.setSoLinger(true, 0);
        }
      }
    }
  }

  private static String readUntil(InputStream in, String text) throws IOException {
    StringBuilder seen = new StringBuilder();
    byte[] buffer = new byte[4096];
    while (seen.indexOf(text) < 0) {
      int n = in.read(buffer);
      if (n < 0) {
        throw new IOException("closed before " + text + " arrived: " + seen);
      }
      seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
    }
    return seen.toString();
  }

  /**
   * A browser tab on a blocking JDK socket: the WebSocket handshake, one REGISTER on {@code hookbus.events}
   * (in SockJS framing or raw), then {@link #slam()}: the tab is killed, the kernel answers with a reset.
   */
  private static final class BrowserTab implements AutoCloseable {
    private final Socket socket;
    private final StringBuilder received = new StringBuilder();

    private BrowserTab(Socket socket) {
      this.socket = socket;
    }

    static BrowserTab open(int port, String uri, boolean sockJsFraming) throws IOException {
      Socket socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      BrowserTab tab = new BrowserTab(socket);
      tab.awaitText("\r\n\r\n");
      assertThat(tab.received.toString()).startsWith("HTTP/1.1 101");
      String register = new JsonObject().put("type", "register").put("address", "hookbus.events").encode();
      // The bridge handles one socket's frames in order: the sync's reply proves the REGISTER was handled.
      String sync = new JsonObject().put("type", "send").put("address", "hookbus.sync").put("replyAddress", "tab")
          .encode();
      for (String frame : List.of(register, sync)) {
        out.write(StalledWebSocket.maskedTextFrame(sockJsFraming ? "[" + jsonString(frame) + "]" : frame));
      }
      out.flush();
      tab.awaitText("tab");
      return tab;
    }

    void awaitText(String text) throws IOException {
      while (received.indexOf(text) < 0) {
        byte[] buffer = new byte[8192];
        int n = socket.getInputStream().read(buffer);
        if (n < 0) {
          throw new IOException("closed before " + text + " arrived: " + received);
        }
        received.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      }
    }

    void slam() throws IOException {
      socket.setSoLinger(true, 0);
      socket.close();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static String jsonString(String text) {
    return new io.vertx.core.json.JsonArray().add(text).encode().replaceAll("^\\[|]$", "");
  }
}
