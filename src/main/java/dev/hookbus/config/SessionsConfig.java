package dev.hookbus.config;

import dev.hookbus.model.Team;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The session-state actor: tables, teams, idle close and the history window (bounded by count and by the estimated
 * bytes of the broadcast copies it holds), and the bounds past which new events are refused as OVERLOADED:
 * record bytes handed to the log and not yet kept, and envelopes published but not yet taken by a bridge.
 */
public record SessionsConfig(int tables, List<Team> teams, long idleTimeoutMs, int historySize, long historyBytes,
                             long maxUnkeptBytes, int maxFanoutBacklog) {

  public static final List<Team> DEFAULT_TEAMS = List.of(
      new Team("red", "Red Rockets", "#e5484d"),
      new Team("blue", "Blue Comets", "#3e63dd"),
      new Team("green", "Green Geckos", "#30a46c"),
      new Team("amber", "Amber Owls", "#ffb224"),
      new Team("purple", "Purple Foxes", "#8e4ec6"),
      new Team("teal", "Teal Otters", "#12a594"),
      new Team("pink", "Pink Pandas", "#d6409f"),
      new Team("slate", "Slate Wolves", "#687076"));

  private static final Pattern COLOR = Pattern.compile("^#[0-9a-fA-F]{6}$");

  static SessionsConfig from(Section s) {
    List<Team> teams = s.list("teams", DEFAULT_TEAMS, item -> team(s, item));
    if (teams.isEmpty()) {
      throw new ConfigException(s.key("teams") + " must name at least one team");
    }
    Set<String> keys = new HashSet<>();
    for (Team team : teams) {
      if (!keys.add(team.key())) {
        throw new ConfigException(s.key("teams") + " has the key \"" + team.key() + "\" twice");
      }
    }
    return new SessionsConfig(
        s.integer("tables", 8, 1, 1024),
        teams,
        s.longValue("idleTimeoutMs", 30L * 60 * 1000, 1_000, 30L * 24 * 3600 * 1000),
        s.integer("historySize", 10_000, 1, 10_000_000),
        s.longValue("historyBytes", 64L * 1024 * 1024, 64L * 1024, 64L * 1024 * 1024 * 1024),
        s.longValue("maxUnkeptBytes", 64L * 1024 * 1024, 1024, 64L * 1024 * 1024 * 1024),
        s.integer("maxFanoutBacklog", 5_000, 1, 10_000_000));
  }

  private static Team team(Section s, Object item) {
    if (!(item instanceof JsonObject json)) {
      throw new ConfigException(s.key("teams") + " must hold objects {key, name, color}");
    }
    Section t = new Section(s.key("teams[]"), json);
    String color = t.string("color", null);
    Team team = new Team(t.string("key", null), t.string("name", null), color);
    if (team.key() == null || team.name() == null || color == null) {
      throw new ConfigException(s.key("teams") + " entries need key, name and color");
    }
    if (!COLOR.matcher(color).matches()) {
      throw new ConfigException(s.key("teams") + " color must look like #a1b2c3, got \"" + color + "\"");
    }
    t.done();
    return team;
  }
}
