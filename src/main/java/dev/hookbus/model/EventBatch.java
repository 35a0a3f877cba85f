package dev.hookbus.model;

import java.util.List;

/**
 * What ingest hands the state actor: the events of one request, parsed and validated once. On a node's own bus it
 * travels as this object; across a cluster as {@link EventJson#batch(EventBatch)}.
 */
public record EventBatch(List<Event> events) {
  public EventBatch {
    events = List.copyOf(events);
  }
}
