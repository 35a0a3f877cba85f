package dev.hookbus.tls;

import ch.qos.logback.classic.Level;
import dev.hookbus.MainVerticle;
import dev.hookbus.bus.Addresses;
import dev.hookbus.support.CapturedLog;
import dev.hookbus.support.Eventually;
import dev.hookbus.support.HookbusProcess;
import dev.hookbus.support.SelfSignedCert;
import dev.hookbus.support.SockJsWebSocketBridgeClient;
import dev.hookbus.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.hookbus.support.Await.failure;
import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** HTTPS and WSS on both ports with a certificate made in the test, its reload, and the failures a bad one gives. */
class TlsTest {
  private static SelfSignedCert first;
  private static SelfSignedCert second;

  @TempDir
  Path dir;
  private Path certFile;
  private Path keyFile;
  private Vertx vertx;

  @BeforeAll
  static void makeCertificates(@TempDir Path work) throws Exception {
    first = SelfSignedCert.generate(work, "hookbus-first");
    second = SelfSignedCert.generate(work, "hookbus-second");
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    certFile = dir.resolve("cert.pem");
    keyFile = dir.resolve("key.pem");
    first.writeTo(certFile, keyFile);
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  private JsonObject tls() {
    return new JsonObject().put("certPath", certFile.toString()).put("keyPath", keyFile.toString());
  }

  private TestServer startWithTls() {
    return TestServer.start(vertx, new JsonObject()
        .put("ingest", new JsonObject().put("tls", tls()))
        .put("bridge", new JsonObject().put("tls", tls())));
  }

  /** A client that trusts only the first certificate and checks the host name against it. */
  private PemTrustOptions trustFirst() {
    return new PemTrustOptions().addCertValue(Buffer.buffer(first.certPem()));
  }

  @Test
  @DisplayName("hooks are posted over HTTPS, and the official client's transport gets them over WSS")
  void hooksOverHttpsEventsOverWss() {
    TestServer server = startWithTls();
    SockJsWebSocketBridgeClient browser = result(SockJsWebSocketBridgeClient.connect(vertx,
        new WebSocketClientOptions().setSsl(true).setTrustOptions(trustFirst()), server.bridgePort(), ""));
    result(browser.register(Addresses.EVENTS));
    WebClient https = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustOptions(trustFirst()));

    HttpResponse<Buffer> hook = result(https.post(server.ingestPort(), "localhost", "/api/hooks/claude")
        .sendJsonObject(new JsonObject().put("hook_event_name", "PreToolUse").put("session_id", "tls-1")
            .put("tool_name", "Bash")));

    assertThat(hook.statusCode()).as(hook.bodyAsString()).isEqualTo(200);
    List<JsonObject> events = result(browser.await(Addresses.EVENTS,
        got -> got.stream().anyMatch(e -> "tool:pre".equals(e.getString("type")))));
    assertThat(events).anyMatch(e -> "tls-1".equals(e.getString("sessionId")));
    HttpResponse<Buffer> page = result(https.get(server.bridgePort(), "localhost", "/").send());
    assertThat(page.statusCode()).isEqualTo(200);
    HttpResponse<Buffer> plain = result(WebClient.create(vertx).post(server.ingestPort(), "127.0.0.1", "/api/events")
        .sendBuffer(Buffer.buffer("{}")).recover(closed -> Future.succeededFuture(null)));
    assertThat(plain).as("plain HTTP on the HTTPS port gets no answer").isNull();
  }

  @Test
  @DisplayName("new certificate files are served to the next connection on both ports, without a restart")
  void reloadsChangedFiles() throws Exception {
    TestServer server = startWithTls();
    assertThat(servedFingerprint(server.ingestPort())).isEqualTo(first.fingerprint());
    assertThat(servedFingerprint(server.bridgePort())).isEqualTo(first.fingerprint());

    try (CapturedLog log = CapturedLog.start()) {
      second.writeTo(certFile, keyFile);

      for (int port : new int[] {server.ingestPort(), server.bridgePort()}) {
        String served = result(Eventually.until(vertx, () -> fingerprint(port), second.fingerprint()::equals,
            Duration.ofSeconds(30)), 40);
        assertThat(served).isEqualTo(second.fingerprint());
      }
      assertThat(log.lines(Level.INFO)).anyMatch(line -> line.contains("ingest.tls: reloaded"))
          .anyMatch(line -> line.contains("bridge.tls: reloaded"));
    }
  }

  @Test
  @DisplayName("a half-written pair (the new key, the old certificate) is refused once; the previous one stays")
  void keepsServingWhenTheNewFilesDoNotFit() throws Exception {
    TestServer server = startWithTls();
    Path otherCert = dir.resolve("other-cert.pem");
    try (CapturedLog log = CapturedLog.start()) {
      second.writeTo(otherCert, keyFile);
      result(Eventually.until(vertx, () -> Future.succeededFuture(log.problems()),
          lines -> lines.stream().anyMatch(l -> l.contains("ingest.tls: the changed files cannot be used")),
          Duration.ofSeconds(30)), 40);
      assertThat(servedFingerprint(server.ingestPort())).isEqualTo(first.fingerprint());
      assertThat(log.problems()).filteredOn(l -> l.contains("ingest.tls")).singleElement().isEqualTo("WARN ServerTls"
          + " - ingest.tls: the changed files cannot be used, the previous certificate stays: the key in " + keyFile
          + " is not the key of the certificate in " + certFile);
    }
  }

  @Test
  @DisplayName("a missing file or one that is not PEM stops the start with the setting, the path and why")
  void badFilesStopTheStart() throws Exception {
    JsonObject missing = tls().put("certPath", dir.resolve("nope.pem").toString());
    Throwable noFile = failure(vertx.deployVerticle(new MainVerticle(TestServer.options()
        .config(new JsonObject().put("bridge", new JsonObject().put("tls", missing))).appConfig())));
    assertThat(noFile).isInstanceOf(TlsUnusable.class)
        .hasMessage("bridge.tls.certPath " + dir.resolve("nope.pem") + " cannot be read: no such file");

    Path notPem = dir.resolve("garbage.pem");
    Files.writeString(notPem, "hello");
    result(vertx.close());
    vertx = Vertx.vertx(); // a failed start leaves its codecs registered on the Vert.x it was deployed on
    Throwable garbage = failure(vertx.deployVerticle(new MainVerticle(TestServer.options()
        .config(new JsonObject().put("ingest", new JsonObject().put("tls", tls().put("keyPath", notPem.toString()))))
        .appConfig())));
    assertThat(garbage).isInstanceOf(TlsUnusable.class)
        .hasMessageStartingWith("ingest.tls: " + certFile + " and " + notPem
            + " are not a PEM certificate and its private key: ");
  }

  @Test
  @DisplayName("started as a process, a missing certificate is one ERROR line naming it, and exit code 1")
  void processWithAMissingCertificate() throws Exception {
    String missing = dir.resolve("gone.pem").toString();
    HookbusProcess hookbus = HookbusProcess.start(dir, new JsonObject().put("ingest", new JsonObject().put("port", 0)
        .put("tls", tls().put("certPath", missing))).put("bridge", new JsonObject().put("port", 0))
        .put("store", new JsonObject().put("enabled", false)).encode());
    assertThat(hookbus.listening()).isFalse();
    assertThat(hookbus.waitForExit()).isEqualTo(1);
    assertThat(hookbus.log().lines().filter(line -> line.contains(" ERROR ")))
        .singleElement().asString()
        .endsWith("ERROR Hookbus - TLS cannot be used: ingest.tls.certPath " + missing + " cannot be read: no such file");
  }

  @Test
  @DisplayName("bound beyond loopback without TLS and tokens, each port logs one WARN that says so")
  void warnsWhenOpenToTheNetwork() {
    try (CapturedLog log = CapturedLog.start()) {
      TestServer.start(vertx, new JsonObject()
          .put("ingest", new JsonObject().put("host", "0.0.0.0").put("allowedHosts", List.of("box.example")))
          .put("bridge", new JsonObject().put("host", "0.0.0.0").put("allowedHosts", List.of("box.example"))));
      assertThat(log.problems()).containsExactly(
          "WARN Servers - ingest binds 0.0.0.0 with neither ingest.tls nor ingest.tokens: anyone who reaches it can"
              + " post events, and everything crosses the network in plain text; set both (README: From your phone)",
          "WARN Servers - bridge binds 0.0.0.0 with neither bridge.tls nor bridge.tokens: anyone who reaches it can"
              + " watch every session, and everything crosses the network in plain text; set both (README: From"
              + " your phone)");
    }
  }

  private String servedFingerprint(int port) {
    return result(fingerprint(port));
  }

  /** The certificate a new connection to {@code port} is served (trusting any: the test compares it itself). */
  private Future<String> fingerprint(int port) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true)
        .setVerifyHost(false).setKeepAlive(false));
    return client.request(HttpMethod.GET, port, "127.0.0.1", "/health/live")
        .compose(request -> request.send().compose(response -> response.body().map(body -> request.connection())))
        .map(connection -> {
          try {
            return SelfSignedCert.fingerprint(connection.peerCertificates().get(0));
          } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            throw new IllegalStateException(e);
          }
        })
        .eventually(client::close);
  }
}
