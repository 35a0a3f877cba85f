package dev.hookbus.state;

import dev.hookbus.model.ElicitationAsk;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks an answer to an elicitation, {@code {action: "accept"|"decline"|"cancel", content?}}, against what the MCP
 * server asked: {@code content} goes only with {@code accept}, and then fits the requested schema's top-level
 * {@code properties} (each value of its {@code type}: string, number, integer, boolean; one of its {@code enum}),
 * has every {@code required} one and no other. MCP elicitation schemas are flat, so nothing deeper is checked.
 * Pure; throws {@link IllegalArgumentException} with what is wrong.
 */
final class ElicitationAnswers {
  private static final List<String> ACTIONS = List.of("accept", "decline", "cancel");

  private ElicitationAnswers() {
  }

  /** The decision to keep: {@code {action}} or {@code {action: "accept", content}}. */
  static Map<String, Object> decision(JsonObject body, ElicitationAsk asked) {
    if (body.containsKey("behavior")) {
      throw new IllegalArgumentException("this approval is an elicitation from MCP server " + asked.server()
          + ": answer it with {\"action\": \"accept\"|\"decline\"|\"cancel\", \"content\"?}, not a behavior");
    }
    Object action = body.getValue("action");
    if (!(action instanceof String name) || !ACTIONS.contains(name)) {
      throw new IllegalArgumentException("action must be \"accept\", \"decline\" or \"cancel\"");
    }
    Object content = body.getValue("content");
    if (content != null && !(content instanceof JsonObject)) {
      throw new IllegalArgumentException("content must be an object");
    }
    Map<String, Object> decision = new LinkedHashMap<>();
    decision.put("action", name);
    if (!name.equals("accept")) {
      if (content != null && !((JsonObject) content).isEmpty()) {
        throw new IllegalArgumentException("content goes only with \"accept\", not with \"" + name + "\"");
      }
      return decision;
    }
    JsonObject given = content == null ? new JsonObject() : (JsonObject) content;
    check(given, schema(asked));
    decision.put("content", given.getMap());
    return decision;
  }

  private static JsonObject schema(ElicitationAsk asked) {
    Object schema = asked.requestedSchema();
    if (schema instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) map;
      return new JsonObject(fields);
    }
    return schema instanceof JsonObject json ? json : new JsonObject();
  }

  private static void check(JsonObject content, JsonObject schema) {
    JsonObject properties = schema.getValue("properties") instanceof JsonObject p ? p : new JsonObject();
    JsonArray required = schema.getValue("required") instanceof JsonArray r ? r : new JsonArray();
    for (Object name : required) {
      if (name instanceof String field && !content.containsKey(field)) {
        throw new IllegalArgumentException("content." + field + " is required");
      }
    }
    for (String field : content.fieldNames()) {
      if (!(properties.getValue(field) instanceof JsonObject property)) {
        throw new IllegalArgumentException("content." + field + " is not asked for; the form has "
            + properties.fieldNames());
      }
      checkValue("content." + field, content.getValue(field), property);
    }
  }

  private static void checkValue(String where, Object value, JsonObject property) {
    String type = property.getString("type", "string");
    boolean fits = switch (type) {
      case "string" -> value instanceof String;
      case "boolean" -> value instanceof Boolean;
      case "number" -> value instanceof Number;
      case "integer" -> value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
          && !Double.isInfinite(n.doubleValue());
      default -> true;
    };
    if (!fits) {
      throw new IllegalArgumentException(where + " must be " + (type.equals("integer") ? "an " : "a ") + type);
    }
    if (property.getValue("enum") instanceof JsonArray allowed && !allowed.contains(value)) {
      throw new IllegalArgumentException(where + " must be one of " + allowed.encode());
    }
  }
}
