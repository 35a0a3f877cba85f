package dev.hookbus.tls;

import dev.hookbus.config.TlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.NoSuchFileException;
import java.util.Objects;

/**
 * HTTPS for one server ({@code ingest.tls} or {@code bridge.tls}): reads the PEM certificate and key before the
 * server listens, and reads them again every second once it does; when their content changed and still forms a
 * usable pair, the server serves the new certificate to the next connection ({@link HttpServer#updateSSLOptions}).
 * Connections already open keep the certificate they were made with. A pair that does not load at start stops the
 * start; one that does not load later is logged once and the previous certificate stays.
 */
public final class ServerTls {
  private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
  private static final long CHECK_PERIOD_MS = 1_000;

  private final Vertx vertx;
  private final String key;
  private final TlsConfig tls;
  private PemPair served;
  private PemPair refused;
  private boolean checking;

  private ServerTls(Vertx vertx, String key, TlsConfig tls, PemPair served) {
    this.vertx = vertx;
    this.key = key;
    this.tls = tls;
    this.served = served;
  }

  /** The certificate and key as read, with what they hold. */
  private record PemPair(Buffer cert, Buffer key) {
    PemKeyCertOptions options() {
      return new PemKeyCertOptions().setCertValue(cert).setKeyValue(key);
    }

    boolean sameAs(PemPair other) {
      return other != null && cert.equals(other.cert) && key.equals(other.key);
    }
  }

  /**
   * Reads and checks the files of {@code tls} (null: plain HTTP, and the result does nothing).
   *
   * @param key the setting's name for the messages, {@code ingest.tls}
   * @return fails with {@link TlsUnusable} naming the setting, the file and why
   */
  public static Future<ServerTls> load(Vertx vertx, String key, TlsConfig tls) {
    if (tls == null) {
      return Future.succeededFuture(new ServerTls(vertx, key, null, null));
    }
    return read(vertx, key, tls).map(pair -> {
      LOG.info("{}: serving HTTPS with {}", key, tls.certPath());
      return new ServerTls(vertx, key, tls, pair);
    });
  }

  public boolean enabled() {
    return tls != null;
  }

  /** The server options with HTTPS on, when it is configured. */
  public HttpServerOptions apply(HttpServerOptions options) {
    return tls == null ? options : options.setSsl(true).setKeyCertOptions(served.options());
  }

  /** Starts checking the files for changes; the timer ends with the verticle that called this. */
  public void watch(HttpServer server) {
    if (tls != null) {
      vertx.setPeriodic(CHECK_PERIOD_MS, id -> check(server));
    }
  }

  private void check(HttpServer server) {
    if (checking) {
      return;
    }
    checking = true;
    Future.all(vertx.fileSystem().readFile(tls.certPath()), vertx.fileSystem().readFile(tls.keyPath()))
        .compose(files -> {
          PemPair next = new PemPair(files.resultAt(0), files.resultAt(1));
          if (next.sameAs(served) || next.sameAs(refused)) {
            return Future.succeededFuture();
          }
          return verify(vertx, key, tls, next)
              .compose(ok -> server.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(next.options()), true))
              .onSuccess(updated -> {
                served = next;
                refused = null;
                LOG.info("{}: reloaded {}, new connections get the new certificate", key, tls.certPath());
              })
              .onFailure(e -> {
                refused = next;
                LOG.warn("{}: the changed files cannot be used, the previous certificate stays: {}", key,
                    e.getMessage());
              })
              .mapEmpty();
        })
        .onComplete(done -> checking = false);
  }

  private static Future<PemPair> read(Vertx vertx, String key, TlsConfig tls) {
    Future<Buffer> cert = readOne(vertx, key + ".certPath", tls.certPath());
    Future<Buffer> privateKey = readOne(vertx, key + ".keyPath", tls.keyPath());
    return Future.all(cert, privateKey).compose(both -> verify(vertx, key, tls, new PemPair(cert.result(),
        privateKey.result())));
  }

  private static Future<Buffer> readOne(Vertx vertx, String setting, String path) {
    return vertx.fileSystem().readFile(path).recover(e -> Future.failedFuture(new TlsUnusable(setting + " " + path
        + " cannot be read: " + (rootCause(e) instanceof NoSuchFileException ? "no such file" : describe(e)), e)));
  }

  /**
   * Builds the key manager off the event loop, which parses both files (a key of another certificate shows only in
   * the handshake).
   */
  private static Future<PemPair> verify(Vertx vertx, String key, TlsConfig tls, PemPair pair) {
    return vertx.executeBlocking(() -> {
      try {
        Objects.requireNonNull(pair.options().getKeyManagerFactory(vertx));
      } catch (Exception e) {
        throw new TlsUnusable(key + ": " + tls.certPath() + " and " + tls.keyPath()
            + " are not a PEM certificate and its private key: " + describe(e), e);
      }
      return pair;
    }, false);
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String describe(Throwable e) {
    Throwable root = rootCause(e);
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
