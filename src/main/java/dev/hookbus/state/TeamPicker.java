package dev.hookbus.state;

import dev.hookbus.model.Team;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks a new session's team: the one with the fewest open sessions, so that sessions open at the same time differ
 * (a hash of the id alone put four of six in one team). Ties go to the first team from a stable hash of the id
 * onwards, so the pick depends only on the id and what is open: a journal replay picks the same.
 */
final class TeamPicker {
  private TeamPicker() {
  }

  static Team pick(List<Team> teams, Collection<Session> open, String sessionId) {
    Map<String, Integer> members = new HashMap<>();
    for (Session session : open) {
      members.merge(session.teamKey, 1, Integer::sum);
    }
    int start = Math.floorMod(sessionId.hashCode(), teams.size());
    Team best = null;
    int fewest = Integer.MAX_VALUE;
    for (int i = 0; i < teams.size(); i++) {
      Team team = teams.get((start + i) % teams.size());
      int count = members.getOrDefault(team.key(), 0);
      if (count < fewest) {
        best = team;
        fewest = count;
      }
    }
    return best;
  }
}
