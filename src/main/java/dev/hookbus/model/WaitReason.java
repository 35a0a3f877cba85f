package dev.hookbus.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a {@link Status#WAITING} session waits. */
public enum WaitReason {
  /** A tool needs permission. */
  PERMISSION,
  /** Claude waits for the next prompt (the idle notification). */
  INPUT,
  /** An MCP server asks the person a question. */
  ELICITATION;

  @JsonValue
  public String json() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The reason a Claude Code notification type stands for; null for types that do not mean waiting. */
  public static WaitReason ofNotification(String notificationType) {
    if (notificationType == null) {
      return null;
    }
    return switch (notificationType) {
      case "permission_prompt" -> PERMISSION;
      case "idle_prompt" -> INPUT;
      case "elicitation_dialog" -> ELICITATION;
      default -> null;
    };
  }
}
