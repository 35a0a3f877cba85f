package dev.hookbus.cli;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code hooks install --otel}: the {@code env} block that makes Claude Code export its OpenTelemetry metrics and
 * log events to hookbus's ingest port ({@code OTEL_*} variables are read by Claude Code itself, not passed to hook
 * subprocesses, so they belong in settings.json), and {@code otelHeadersHelper} for the token. Pure edits on the
 * JSON. {@code HOOKBUS_OTEL} (the ingest URL) marks the install; uninstall removes exactly what install wrote
 * where it is still as written, and takes {@code otlp} back out of an exporter list the user had already.
 */
final class OtelInstaller {
  static final String MARKER = "HOOKBUS_OTEL";
  static final String ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
  static final String HEADERS_HELPER = "otelHeadersHelper";
  /** Seconds between metric exports: Claude Code's default is 60; the cards should not lag a minute behind. */
  static final int METRIC_INTERVAL_MS = 10_000;
  private static final List<String> EXPORTERS = List.of("OTEL_METRICS_EXPORTER", "OTEL_LOGS_EXPORTER");
  private static final Pattern OUR_HELPER =
      Pattern.compile("^printf '\\{\"Authorization\":\"Bearer %s\"\\}' \"\\$[A-Za-z_][A-Za-z0-9_]*\"$");

  private OtelInstaller() {
  }

  /** Fixed values besides the exporters (which are lists) and the endpoint (which is the URL). */
  static Map<String, String> fixed() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CLAUDE_CODE_ENABLE_TELEMETRY", "1");
    env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    env.put("OTEL_METRIC_EXPORT_INTERVAL", String.valueOf(METRIC_INTERVAL_MS));
    return env;
  }

  static String endpoint(String baseUrl) {
    return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  static String headersHelper(String tokenEnv) {
    return "printf '{\"Authorization\":\"Bearer %s\"}' \"$" + tokenEnv + "\"";
  }

  static boolean isOurs(JsonObject settings) {
    return settings.getValue("env") instanceof JsonObject env && env.getValue(MARKER) instanceof String;
  }

  /** Adds or updates the block in place; one line per change. */
  static List<String> install(JsonObject settings, String baseUrl, String tokenEnv) {
    if (settings.getValue("env") != null && !(settings.getValue("env") instanceof JsonObject)) {
      throw new IllegalStateException("\"env\" in the settings is not an object; fix it first");
    }
    JsonObject env = settings.getJsonObject("env", new JsonObject());
    List<String> changes = new ArrayList<>();
    String url = endpoint(baseUrl);
    Map<String, String> wanted = new LinkedHashMap<>(fixed());
    wanted.put(ENDPOINT, url);
    wanted.put(MARKER, url);
    for (String exporter : EXPORTERS) {
      wanted.put(exporter, withOtlp(env.getValue(exporter) instanceof String s ? s : null));
    }
    wanted.forEach((key, value) -> {
      Object before = env.getValue(key);
      if (!value.equals(before)) {
        changes.add((before == null ? "+ env " + key + "=" : "~ env " + key + ": " + before + " → ") + value);
        env.put(key, value);
      }
    });
    if (tokenEnv != null && !headersHelper(tokenEnv).equals(settings.getValue(HEADERS_HELPER))) {
      changes.add("+ " + HEADERS_HELPER + " (sends Authorization: Bearer $" + tokenEnv + ")");
      settings.put(HEADERS_HELPER, headersHelper(tokenEnv));
    }
    if (!changes.isEmpty()) {
      settings.put("env", env);
    }
    return changes;
  }

  static List<String> uninstall(JsonObject settings) {
    if (!isOurs(settings)) {
      return List.of();
    }
    JsonObject env = settings.getJsonObject("env");
    List<String> changes = new ArrayList<>();
    String url = env.getString(MARKER);
    Map<String, String> written = new LinkedHashMap<>(fixed());
    written.put(ENDPOINT, url);
    written.put(MARKER, url);
    written.forEach((key, value) -> {
      if (value.equals(env.getValue(key))) {
        env.remove(key);
        changes.add("- env " + key);
      }
    });
    for (String exporter : EXPORTERS) {
      if (env.getValue(exporter) instanceof String list) {
        String without = withoutOtlp(list);
        if (without.isEmpty()) {
          env.remove(exporter);
          changes.add("- env " + exporter);
        } else if (!without.equals(list)) {
          env.put(exporter, without);
          changes.add("~ env " + exporter + ": " + list + " → " + without);
        }
      }
    }
    if (settings.getValue(HEADERS_HELPER) instanceof String helper && OUR_HELPER.matcher(helper).matches()) {
      settings.remove(HEADERS_HELPER);
      changes.add("- " + HEADERS_HELPER);
    }
    if (env.isEmpty()) {
      settings.remove("env");
    }
    return changes;
  }

  /** Why Claude Code would not export to {@code ingest} under these settings; null when it would. */
  static String problem(JsonObject settings, String ingest) {
    if (!(settings.getValue("env") instanceof JsonObject env)) {
      return "no env block";
    }
    if (!"1".equals(String.valueOf(env.getValue("CLAUDE_CODE_ENABLE_TELEMETRY")))) {
      return "CLAUDE_CODE_ENABLE_TELEMETRY is not 1";
    }
    for (String exporter : EXPORTERS) {
      if (!(env.getValue(exporter) instanceof String list) || !parts(list).contains("otlp")) {
        return exporter + " does not include otlp";
      }
    }
    Object endpoint = env.getValue(ENDPOINT);
    if (!endpoint(ingest).equals(endpoint)) {
      return ENDPOINT + " is " + endpoint + ", not " + endpoint(ingest);
    }
    Object protocol = env.getValue("OTEL_EXPORTER_OTLP_PROTOCOL");
    if (!"http/protobuf".equals(protocol) && !"http/json".equals(protocol)) {
      return "OTEL_EXPORTER_OTLP_PROTOCOL is " + protocol + "; hookbus takes http/protobuf or http/json";
    }
    return null;
  }

  private static String withOtlp(String list) {
    List<String> parts = list == null ? new ArrayList<>() : parts(list);
    parts.remove("none");
    if (!parts.contains("otlp")) {
      parts.add("otlp");
    }
    return String.join(",", parts);
  }

  private static String withoutOtlp(String list) {
    List<String> parts = parts(list);
    parts.remove("otlp");
    return String.join(",", parts);
  }

  private static List<String> parts(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(ArrayList::new));
  }
}
