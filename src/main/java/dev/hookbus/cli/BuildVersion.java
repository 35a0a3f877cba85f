package dev.hookbus.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** {@code --version}: the project version the build wrote into {@code version.properties} (a filtered resource). */
final class BuildVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"hookbus " + version()};
  }

  static String version() {
    try (InputStream in = BuildVersion.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      String version = properties.getProperty("version", "");
      if (!version.isEmpty() && !version.startsWith("${")) {
        return version;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String manifest = BuildVersion.class.getPackage().getImplementationVersion();
    return manifest != null ? manifest : "(unknown version: not built by Maven)";
  }
}
