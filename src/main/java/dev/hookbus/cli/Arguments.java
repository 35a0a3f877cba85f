package dev.hookbus.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Checks of option values, so a bad one is refused like any other bad argument: one line, the usage, exit 2. */
final class Arguments {
  private Arguments() {
  }

  /** {@code --url}: an http(s) base URL, kept without a trailing slash. */
  static final class BaseUrl implements ITypeConverter<String> {
    @Override
    public String convert(String url) {
      if (!url.startsWith("http://") && !url.startsWith("https://")) {
        throw new TypeConversionException("--url must start with http:// or https://, got " + url);
      }
      return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
  }

  /** {@code --token-env}: the name of the environment variable that holds the ingest token, never the token. */
  static final class EnvironmentVariableName implements ITypeConverter<String> {
    @Override
    public String convert(String name) {
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new TypeConversionException("--token-env takes an environment variable name, got " + name);
      }
      return name;
    }
  }
}
