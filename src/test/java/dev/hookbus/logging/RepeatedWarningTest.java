package dev.hookbus.logging;

import ch.qos.logback.classic.Level;
import dev.hookbus.support.CapturedLog;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatedWarningTest {
  private static final Logger LOG = LoggerFactory.getLogger(RepeatedWarningTest.class);

  @Test
  @DisplayName("a flood of one warning is one line per interval, each saying how many were left out")
  void flood() {
    AtomicLong now = new AtomicLong(1_000_000);
    RepeatedWarning warning = new RepeatedWarning(LOG, 1_000, now::get);
    try (CapturedLog log = CapturedLog.start()) {
      warning.warn("no leader");
      for (int i = 0; i < 250; i++) {
        now.addAndGet(2);
        warning.warn("no leader");
      }
      now.addAndGet(1_000);
      warning.warn("no leader {}", "yet");
      now.addAndGet(5_000);
      warning.warn("no leader still");
      assertThat(log.lines(Level.WARN).stream().filter(l -> l.contains("RepeatedWarningTest")).toList())
          .containsExactly("WARN RepeatedWarningTest - no leader",
              "WARN RepeatedWarningTest - no leader yet (250 more left out since the last line)",
              "WARN RepeatedWarningTest - no leader still");
    }
  }
}
