package dev.hookbus.config;

/**
 * Pending approvals: whether {@code POST /api/hooks/claude} holds a PermissionRequest's reply while a viewer who
 * may decide is connected, and for how long at most before it answers {@code {}} (the terminal then decides).
 * The installed PermissionRequest hook's timeout must exceed {@code holdMs}: Claude Code drops a later reply.
 */
public record ApprovalsConfig(boolean enabled, long holdMs) {

  static ApprovalsConfig from(Section s) {
    return new ApprovalsConfig(s.bool("enabled", true), s.longValue("holdMs", 120_000, 100, 3_600_000));
  }
}
