package dev.hookbus.bench;

import io.vertx.core.json.Json;

/** The {@code content} of a big Write event: source-like text with quotes and newlines, as a JSON string. */
final class WriteContent {
  private WriteContent() {
  }

  static String jsonString(int bytes) {
    StringBuilder text = new StringBuilder(bytes + 100);
    for (int line = 1; text.length() < bytes; line++) {
      text.append("  log.info(\"line ").append(line).append(" of a generated file\", value);\n");
    }
    text.setLength(bytes);
    return Json.encode(text.toString());
  }
}
