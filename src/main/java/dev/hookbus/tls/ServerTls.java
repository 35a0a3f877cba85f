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

import javax.net.ssl.X509KeyManager;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;

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
  private boolean unreadable;

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
                String why = String.valueOf(e.getMessage());
                LOG.warn("{}: the changed files cannot be used, the previous certificate stays: {}", key,
                    why.startsWith(key + ": ") ? why.substring(key.length() + 2) : why);
              })
              .mapEmpty()
              .otherwiseEmpty();
        })
        .onComplete(done -> {
          checking = false;
          if (done.failed() && !unreadable) {
            unreadable = true;
            LOG.warn("{}: cannot read {} or {} ({}), the previous certificate stays", key, tls.certPath(),
                tls.keyPath(), describe(done.cause()));
          } else if (done.succeeded()) {
            unreadable = false;
          }
        });
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
   * Off the event loop: builds the key manager, which parses both files, then signs with the key and verifies with
   * the certificate, since a key of another certificate (a renewal caught between its two writes) would otherwise
   * show only in every handshake.
   */
  private static Future<PemPair> verify(Vertx vertx, String key, TlsConfig tls, PemPair pair) {
    return vertx.executeBlocking(() -> {
      X509KeyManager keys;
      try {
        keys = (X509KeyManager) pair.options().getKeyManagerFactory(vertx).getKeyManagers()[0];
      } catch (Exception e) {
        throw new TlsUnusable(key + ": " + tls.certPath() + " and " + tls.keyPath()
            + " are not a PEM certificate and its private key: " + describe(e), e);
      }
      if (!keyFitsCertificate(keys)) {
        throw new TlsUnusable(key + ": the key in " + tls.keyPath() + " is not the key of the certificate in "
            + tls.certPath(), null);
      }
      return pair;
    }, false);
  }

  private static boolean keyFitsCertificate(X509KeyManager keys) throws GeneralSecurityException {
    for (String type : new String[] {"RSA", "EC", "EdDSA", "Ed25519"}) {
      String[] aliases = keys.getServerAliases(type, null);
      if (aliases == null) {
        continue;
      }
      for (String alias : aliases) {
        PrivateKey privateKey = keys.getPrivateKey(alias);
        X509Certificate[] chain = keys.getCertificateChain(alias);
        if (privateKey == null || chain == null || chain.length == 0) {
          continue;
        }
        String algorithm = switch (privateKey.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> privateKey.getAlgorithm();
        };
        byte[] probe = "hookbus".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(privateKey);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        try {
          verifier.initVerify(chain[0].getPublicKey());
        } catch (java.security.InvalidKeyException otherAlgorithm) {
          return false;
        }
        verifier.update(probe);
        return verifier.verify(signature);
      }
    }
    return false;
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
