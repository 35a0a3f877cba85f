package dev.hookbus.config;

/**
 * HTTPS (and WSS) on one port: a PEM certificate chain and its PEM private key (PKCS#8 or PKCS#1). The files are
 * read at start and read again whenever they change, so a renewed certificate is served without a restart.
 *
 * @param certPath the certificate, then any intermediates, in PEM
 * @param keyPath  the private key of the first certificate, in PEM
 */
public record TlsConfig(String certPath, String keyPath) {

  /** {@code ingest.tls} / {@code bridge.tls}: null (plain HTTP) when absent or null. */
  static TlsConfig from(Section parent, String key) {
    Section s = parent.object(key);
    if (s == null) {
      return null;
    }
    TlsConfig tls = new TlsConfig(s.string("certPath", null), s.string("keyPath", null));
    s.done();
    if (tls.certPath() == null || tls.keyPath() == null) {
      throw new ConfigException(parent.key(key) + " needs both certPath and keyPath (PEM files)");
    }
    return tls;
  }
}
