package dev.hookbus.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a session is doing, as the snapshot and the dashboard name it. */
public enum Status {
  /** Working: a prompt, a tool, a subagent. */
  ACTIVE,
  /** Blocked on the person: see {@link WaitReason}. */
  WAITING,
  /** Its turn ended; nothing runs until the next prompt. */
  IDLE;

  @JsonValue
  public String json() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
