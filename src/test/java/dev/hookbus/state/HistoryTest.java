package dev.hookbus.state;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryTest {

  @Test
  void replaysWhatIsInTheWindowAndRefusesWhatIsNot() {
    History<String> history = new History<>(3);
    assertThat(history.since(0)).contains(List.of());
    for (long seq = 1; seq <= 5; seq++) {
      history.add(seq, "e" + seq);
    }
    assertThat(history.size()).isEqualTo(3);
    assertThat(history.since(2)).contains(List.of("e3", "e4", "e5"));
    assertThat(history.since(4)).contains(List.of("e5"));
    assertThat(history.since(5)).contains(List.of());
    assertThat(history.since(9)).contains(List.of());
    assertThat(history.since(1)).isEqualTo(Optional.empty());
    assertThat(history.get(3)).contains("e3");
    assertThat(history.get(2)).isEmpty();
    assertThat(history.get(6)).isEmpty();
  }

  @Test
  void startsAtAnySeqButRefusesGaps() {
    History<String> history = new History<>(10);
    history.add(100, "a");
    history.add(101, "b");
    assertThat(history.since(99)).contains(List.of("a", "b"));
    assertThat(history.since(50)).isEmpty();
    assertThatThrownBy(() -> history.add(103, "c")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dropsTheOldestPastTheByteBoundAndPagesByBytes() {
    History<String> history = new History<>(100, 250);
    for (long seq = 1; seq <= 10; seq++) {
      history.add(seq, "e" + seq, 100);
    }
    assertThat(history.size()).isEqualTo(2);
    assertThat(history.bytes()).isEqualTo(200);
    assertThat(history.since(8)).contains(List.of("e9", "e10"));
    assertThat(history.since(8, 10, 150)).contains(List.of("e9"));
    assertThat(history.since(8, 1, 10_000)).contains(List.of("e9"));
    assertThat(history.since(8, 10, 1)).as("at least one").contains(List.of("e9"));
    history.add(11, "huge", 1_000);
    assertThat(history.since(10)).as("the newest stays").contains(List.of("huge"));
    assertThat(history.bytes()).isEqualTo(1_000);
    history.addAfterGap(20, "after a gap", 5);
    assertThat(history.size()).isEqualTo(1);
    assertThat(history.bytes()).isEqualTo(5);
  }
}
