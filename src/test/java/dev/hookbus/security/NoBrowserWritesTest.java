package dev.hookbus.security;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link RequestGuards#noBrowserWrites()} on a throwaway decision route, over real HTTP. */
class NoBrowserWritesTest {
  private final AtomicInteger decisions = new AtomicInteger();
  private Vertx vertx;
  private WebClient client;
  private int port;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.post("/api/decide").handler(RequestGuards.noBrowserWrites()).handler(ctx -> {
      decisions.incrementAndGet();
      ctx.response().end("{}");
    });
    HttpServer server = result(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    port = server.actualPort();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  private HttpResponse<Buffer> decide(Map<String, String> headers) {
    HttpRequest<Buffer> request = client.post(port, "127.0.0.1", "/api/decide");
    headers.forEach(request::putHeader);
    return result(request.sendBuffer(Buffer.buffer("{\"allow\":true}")));
  }

  @Test
  @DisplayName("any web page is refused, the dashboard's own origin too; a client that is no browser decides")
  void refusesEveryWebPage() {
    for (Map<String, String> page : new Map[] {
        Map.of("Origin", "http://127.0.0.1:3848"), Map.of("Origin", "https://evil.example"), Map.of("Origin", "null"),
        Map.of("Sec-Fetch-Site", "same-site"), Map.of("Sec-Fetch-Site", "cross-site"),
        Map.of("Origin", "http://127.0.0.1:" + 3848, "Sec-Fetch-Site", "same-origin")}) {
      HttpResponse<Buffer> refused = decide(page);
      assertThat(refused.statusCode()).as(page.toString()).isEqualTo(403);
      assertThat(refused.bodyAsJsonObject().getString("code")).isEqualTo("FORBIDDEN_ORIGIN");
    }
    assertThat(decisions).hasValue(0);
    assertThat(decide(Map.of()).statusCode()).isEqualTo(200);
    assertThat(decide(Map.of("Sec-Fetch-Site", "none")).statusCode()).isEqualTo(200);
    assertThat(decisions).hasValue(2);
  }
}
