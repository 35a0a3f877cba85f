package dev.hookbus.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * Bridge client over SockJS's xhr-streaming fallback transport, as a browser without WebSocket would use it:
 * one long POST to {@code xhr_streaming} receives frames ({@code o}, {@code h}, {@code a[...]}) separated by
 * newlines; each message goes out as its own POST to {@code xhr_send}, strictly one after the other.
 */
public final class XhrStreamingBridgeClient extends BridgeClient {
  private final HttpClient http;
  private final int port;
  private final String base;
  private final StringBuilder pending = new StringBuilder();
  private final Promise<Void> opened = Promise.promise();
  private Future<Void> lastSend = Future.succeededFuture();
  private HttpClientResponse stream;

  private XhrStreamingBridgeClient(Vertx vertx, int port) {
    this.http = vertx.createHttpClient();
    this.port = port;
    this.base = "/eventbus/000/" + UUID.randomUUID() + "/";
  }

  public static Future<BridgeClient> connect(Vertx vertx, int port) {
    XhrStreamingBridgeClient client = new XhrStreamingBridgeClient(vertx, port);
    Promise<BridgeClient> connected = Promise.promise();
    // Started on a Vert.x context, the response callback runs in the task that read the response head, so the
    // chunk handler is in place before the first chunk (the open frame) is read.
    vertx.getOrCreateContext().runOnContext(v -> client.http.request(options(port, client.base + "xhr_streaming"))
        .compose(req -> req.send())
        .compose(response -> {
          client.stream = response;
          response.handler(client::onChunk);
          return client.opened.future();
        })
        .<BridgeClient>map(client)
        .onComplete(connected));
    return connected.future();
  }

  private static RequestOptions options(int port, String uri) {
    return new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(uri);
  }

  private synchronized void onChunk(Buffer chunk) {
    pending.append(chunk.toString());
    int newline;
    while ((newline = pending.indexOf("\n")) >= 0) {
      String line = pending.substring(0, newline);
      pending.delete(0, newline + 1);
      if (line.equals("o")) {
        opened.tryComplete();
      } else if (line.startsWith("a")) {
        new JsonArray(line.substring(1)).forEach(message -> onFrame(new JsonObject((String) message)));
      }
    }
  }

  @Override
  protected synchronized Future<Void> write(JsonObject frame) {
    String body = new JsonArray().add(frame.encode()).encode();
    lastSend = lastSend.transform(previous -> http.request(options(port, base + "xhr_send"))
        .compose(req -> req.send(body))
        .compose(response -> response.statusCode() == 204 ? Future.<Void>succeededFuture()
            : Future.failedFuture("xhr_send answered " + response.statusCode())));
    return lastSend;
  }

  @Override
  public Future<Void> close() {
    if (stream != null) {
      stream.request().reset();
    }
    return http.close();
  }
}
