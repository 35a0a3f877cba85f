package dev.hookbus.cli;

import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code doctor} against the real server: JDK HTTP and WebSocket clients, run on the JUnit thread. */
class DoctorTest {
  @TempDir
  Path home;

  private Vertx vertx;
  private TestServer server;
  private final CliRunner cli = new CliRunner();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = TestServer.start(vertx);
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  private int cli(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--home";
    all[args.length + 1] = home.toString();
    all[args.length + 2] = "--project";
    all[args.length + 3] = home.resolve("project").toString();
    return cli.run(all);
  }

  @Test
  @DisplayName("with the server up and hooks installed every check passes, the test event included")
  void allGood() {
    String url = "http://127.0.0.1:" + server.ingestPort();
    cli("hooks", "install", "--url", url);
    cli.reset();
    int code = cli("doctor", "--url", url);
    String text = cli.out();
    assertThat(text).contains("ok    ingest", "ok    bridge", "ok    hooks installed", "ok    test event",
        "verdict: all good");
    assertThat(code).as(text).isZero();
  }

  @Test
  @DisplayName("hooks aimed elsewhere and a server that is not there each get a FAIL line and exit 1")
  void failures() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    cli("hooks", "install", "--url", "http://127.0.0.1:" + deadPort);
    cli.reset();
    int code = cli("doctor", "--url", "http://127.0.0.1:" + server.ingestPort());
    String text = cli.out();
    assertThat(text).contains("ok    ingest", "FAIL  hooks installed", "verdict: 1 check(s) failed");
    assertThat(code).isEqualTo(1);
    cli.reset();
    assertThat(cli("doctor", "--url", "http://127.0.0.1:" + deadPort)).isEqualTo(1);
    assertThat(cli.out()).contains("FAIL  ingest", "FAIL  test event");
  }
}
