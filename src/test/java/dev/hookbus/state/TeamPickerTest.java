package dev.hookbus.state;

import dev.hookbus.config.SessionsConfig;
import dev.hookbus.model.Event;
import dev.hookbus.model.SessionView;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TeamPickerTest {
  private final SessionRegistry registry = new SessionRegistry(8, SessionsConfig.DEFAULT_TEAMS, 60_000);
  private long clock = 1_000;

  private void start(String id) {
    clock += 10;
    registry.apply(new Event("session:start", clock, clock, id, null, Map.of("sessionId", id)));
  }

  private void end(String id) {
    clock += 10;
    registry.apply(new Event("session:end", clock, clock, id, null, Map.of("sessionId", id)));
  }

  private List<String> teams() {
    return registry.snapshot().sessions().stream().map(SessionView::teamKey).toList();
  }

  @Test
  @DisplayName("sessions open at the same time get different teams, even when their ids hash to the same one")
  void concurrentSessionsDiffer() {
    // "Aa" and "BB" have the same String.hashCode, and so do all 2^3 words built of them: one team by hash alone.
    List<String> colliding = List.of("AaAaAa", "AaAaBB", "AaBBAa", "AaBBBB", "BBAaAa", "BBAaBB", "BBBBAa", "BBBBBB");
    assertThat(colliding.stream().map(String::hashCode).distinct()).hasSize(1);
    colliding.forEach(this::start);
    assertThat(teams()).doesNotHaveDuplicates().hasSize(8);
  }

  @Test
  @DisplayName("a new session takes the team a closed one left; with more sessions than teams, the least used")
  void freedTeamsAreReused() {
    IntStream.range(0, 8).forEach(i -> start("s" + i));
    String freed = registry.snapshot().sessions().get(3).teamKey();
    end("s3");
    start("late");
    assertThat(registry.snapshot().sessions().stream().filter(s -> s.sessionId().equals("late")).findFirst()
        .orElseThrow().teamKey()).isEqualTo(freed);
    IntStream.range(0, 8).forEach(i -> start("more" + i));
    assertThat(teams().stream().distinct()).hasSize(8);
    assertThat(teams().stream().collect(java.util.stream.Collectors.groupingBy(t -> t, java.util.stream.Collectors.counting()))
        .values()).containsOnly(2L);
  }
}
