package dev.hookbus.state;

import dev.hookbus.model.SessionView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each transition changed in the sessions' views, put on its envelopes as {@code view}, so that a client that
 * applied the snapshot (seq S) and then every envelope after S holds exactly what the next snapshot would show,
 * without knowing a single state rule: {@code view.sessions.<id>} is the fields of that session's view that changed
 * (all of them for a session new to clients, {@code null} for one that closed) and {@code view.queue} the queue for a
 * table when it changed. A session's change rides on the transition's last envelope of that session (else on its
 * last envelope), the queue on the last envelope; every envelope of a session carries a {@code view}, empty when
 * nothing changed. It compares each touched session's view with the one it last published, field by field, over the
 * record's components, so a field added to {@link SessionView} is carried with no change here. Actor loop only.
 */
final class ViewChanges {
  static final String VIEW = "view";
  static final String SESSIONS = "sessions";
  static final String QUEUE = "queue";
  private static final Map<Class<?>, MethodHandle[]> READERS_BY_CLASS = new ConcurrentHashMap<>();
  private static final String[] NAMES = names(SessionView.class);
  private static final MethodHandle[] READERS = readers(SessionView.class);

  private final SessionRegistry registry;
  private final Map<String, SessionView> published = new HashMap<>();
  private final Map<String, String> agentOwners = new HashMap<>();
  private List<String> queue;

  /** Starts from what a client's snapshot of {@code registry} shows. */
  ViewChanges(SessionRegistry registry) {
    this.registry = registry;
    for (SessionView view : registry.snapshot().sessions()) {
      remember(view.sessionId(), view);
    }
    queue = registry.queued();
  }

  /** Puts the view changes of the transition that produced {@code envelopes} (in seq order) on them. */
  void annotate(List<JsonObject> envelopes) {
    Set<String> touched = new LinkedHashSet<>();
    for (JsonObject envelope : envelopes) {
      String sessionId = envelope.getString("sessionId");
      if (sessionId != null) {
        touched.add(sessionId);
        envelope.put(VIEW, new JsonObject());
      }
      String owner = agentOwners.get(envelope.getString("agentId"));
      if (owner != null) {
        touched.add(owner); // an agent that moves to another session leaves its old one
      }
    }
    for (String sessionId : touched) {
      SessionView now = registry.view(sessionId);
      SessionView before = published.get(sessionId);
      JsonObject change = now == null ? null : changed(before, now);
      if (now == null && before == null || change != null && change.isEmpty()) {
        continue;
      }
      remember(sessionId, now);
      JsonObject view = viewOf(carrier(envelopes, sessionId));
      JsonObject sessions = view.getJsonObject(SESSIONS);
      if (sessions == null) {
        sessions = new JsonObject();
        view.put(SESSIONS, sessions);
      }
      sessions.put(sessionId, change);
    }
    List<String> queueNow = registry.queued();
    if (!queueNow.equals(queue)) {
      queue = queueNow;
      viewOf(envelopes.get(envelopes.size() - 1)).put(QUEUE, new JsonArray(new ArrayList<>(queueNow)));
    }
  }

  /** The transition's last envelope of that session, else its last envelope. */
  private static JsonObject carrier(List<JsonObject> envelopes, String sessionId) {
    for (int i = envelopes.size() - 1; i >= 0; i--) {
      if (sessionId.equals(envelopes.get(i).getString("sessionId"))) {
        return envelopes.get(i);
      }
    }
    return envelopes.get(envelopes.size() - 1);
  }

  private static JsonObject viewOf(JsonObject envelope) {
    JsonObject view = envelope.getJsonObject(VIEW);
    if (view == null) {
      view = new JsonObject();
      envelope.put(VIEW, view);
    }
    return view;
  }

  private void remember(String sessionId, SessionView view) {
    SessionView before = view == null ? published.remove(sessionId) : published.put(sessionId, view);
    if (before != null) {
      before.agentIds().forEach(id -> agentOwners.remove(id, sessionId));
    }
    if (view != null) {
      view.agentIds().forEach(id -> agentOwners.put(id, sessionId));
    }
  }

  /** The fields of {@code now} that differ from {@code before}, as JSON; every field when there was none before. */
  static JsonObject changed(SessionView before, SessionView now) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < READERS.length; i++) {
      Object value = read(READERS[i], now);
      if (before == null || !Objects.equals(read(READERS[i], before), value)) {
        fields.put(NAMES[i], json(value));
      }
    }
    return new JsonObject(fields);
  }

  /** A view as the snapshot shows it (the same JSON as Jackson makes of it). */
  static JsonObject json(SessionView view) {
    return changed(null, view);
  }

  private static Object json(Object value) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof List<?> list) {
      List<Object> items = new ArrayList<>(list.size());
      list.forEach(item -> items.add(json(item)));
      return new JsonArray(items);
    }
    if (value instanceof Record record && Modifier.isPublic(record.getClass().getModifiers())) {
      Map<String, Object> fields = new LinkedHashMap<>();
      String[] names = names(record.getClass());
      MethodHandle[] readers = readers(record.getClass());
      for (int i = 0; i < readers.length; i++) {
        fields.put(names[i], json(read(readers[i], record)));
      }
      return new JsonObject(fields);
    }
    // enums (@JsonValue) and whatever else a view may hold: as the snapshot's Jackson mapping writes it
    return DatabindCodec.mapper().convertValue(value, Object.class);
  }

  private static Object read(MethodHandle reader, Object target) {
    try {
      return reader.invokeExact(target);
    } catch (Throwable e) {
      throw new IllegalStateException("cannot read a field of " + target.getClass().getSimpleName(), e);
    }
  }

  private static String[] names(Class<?> record) {
    RecordComponent[] components = record.getRecordComponents();
    String[] names = new String[components.length];
    for (int i = 0; i < components.length; i++) {
      names[i] = components[i].getName();
    }
    return names;
  }

  /** Reflection costs microseconds per view; method handles, cached per record class, a few nanoseconds a field. */
  private static MethodHandle[] readers(Class<?> record) {
    return READERS_BY_CLASS.computeIfAbsent(record, type -> {
      RecordComponent[] components = type.getRecordComponents();
      MethodHandle[] readers = new MethodHandle[components.length];
      try {
        for (int i = 0; i < components.length; i++) {
          readers[i] = MethodHandles.publicLookup().unreflect(components[i].getAccessor())
              .asType(MethodType.methodType(Object.class, Object.class));
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read the fields of " + type.getSimpleName(), e);
      }
      return readers;
    });
  }
}
