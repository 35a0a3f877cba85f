package dev.hookbus.model;


import java.util.List;

/**
 * The whole live state as of {@code seq}: a client that applies it, then every envelope with a greater seq,
 * sees what everyone else sees.
 *
 * @param queue     ids of sessions waiting for a free table, first come first served
 * @param approvals the pending approvals, oldest first (sessions in the queue included)
 */
public record Snapshot(long seq, int tables, List<Team> teams, List<SessionView> sessions, List<String> queue,
                       List<ApprovalView> approvals) {
}
