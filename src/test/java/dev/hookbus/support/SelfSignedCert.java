package dev.hookbus.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed RSA certificate for {@code localhost} and {@code 127.0.0.1}, made by the JDK's own {@code keytool}
 * and written as the PEM pair hookbus's {@code tls} settings take: {@code cert.pem} and {@code key.pem} (PKCS#8).
 */
public final class SelfSignedCert {
  private static final char[] STORE_PASSWORD = "changeit".toCharArray();

  private final byte[] certPem;
  private final byte[] keyPem;
  private final String fingerprint;

  private SelfSignedCert(byte[] certPem, byte[] keyPem, String fingerprint) {
    this.certPem = certPem;
    this.keyPem = keyPem;
    this.fingerprint = fingerprint;
  }

  /** Generates one; {@code work} holds keytool's store (any temp dir). */
  public static SelfSignedCert generate(Path work, String commonName) throws IOException, InterruptedException {
    Path store = Files.createTempFile(work, "cert", ".p12");
    Files.delete(store);
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "hookbus",
        "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=" + commonName,
        "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", new String(STORE_PASSWORD), "-keypass", new String(STORE_PASSWORD)))
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool failed: " + output);
    }
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(in, STORE_PASSWORD);
      Key key = keyStore.getKey("hookbus", STORE_PASSWORD);
      Certificate cert = keyStore.getCertificate("hookbus");
      return new SelfSignedCert(pem("CERTIFICATE", cert.getEncoded()), pem("PRIVATE KEY", key.getEncoded()),
          fingerprint(cert));
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  /** Writes the certificate and the key to these files (replacing them). */
  public void writeTo(Path certFile, Path keyFile) throws IOException {
    Files.write(certFile, certPem);
    Files.write(keyFile, keyPem);
  }

  public byte[] certPem() {
    return certPem.clone();
  }

  /** SHA-256 of the DER certificate, hex: compare with what a client was served. */
  public String fingerprint() {
    return fingerprint;
  }

  public static String fingerprint(Certificate cert) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
    return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n").getBytes();
  }
}
