package dev.hookbus.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The attributes of a resource, a data point or a log record, flattened to strings, numbers and booleans. Claude Code
 * sends some numeric attributes as strings ({@code "cost_usd":"0.0123"}), so the number readers take both.
 */
final class Attributes {
  private final Map<String, Object> values;

  private Attributes(Map<String, Object> values) {
    this.values = values;
  }

  /** The later lists win over the earlier ones (a point's own attributes over its resource's). */
  @SafeVarargs
  static Attributes of(List<KeyValue>... lists) {
    Map<String, Object> values = new HashMap<>();
    for (List<KeyValue> list : lists) {
      for (KeyValue kv : list) {
        Object value = value(kv.getValue());
        if (value != null) {
          values.put(kv.getKey(), value);
        }
      }
    }
    return new Attributes(values);
  }

  private static Object value(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> value.getBoolValue();
      case INT_VALUE -> value.getIntValue();
      case DOUBLE_VALUE -> value.getDoubleValue();
      default -> null;
    };
  }

  String text(String... keys) {
    for (String key : keys) {
      Object value = values.get(key);
      if (value instanceof String s && !s.isBlank()) {
        return s;
      }
      if (value instanceof Number || value instanceof Boolean) {
        return String.valueOf(value);
      }
    }
    return null;
  }

  Double number(String... keys) {
    for (String key : keys) {
      Object value = values.get(key);
      if (value instanceof Number n) {
        return n.doubleValue();
      }
      if (value instanceof String s) {
        try {
          double parsed = Double.parseDouble(s.trim());
          if (Double.isFinite(parsed)) {
            return parsed;
          }
        } catch (NumberFormatException e) {
          // not a number: try the next key
        }
      }
    }
    return null;
  }

  Long whole(String... keys) {
    Double value = number(keys);
    return value == null ? null : Math.round(value);
  }
}
