package dev.hookbus.state;

import dev.hookbus.config.SessionsConfig;
import dev.hookbus.model.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * What computing the envelopes' views adds to the state actor per event: the same stream of tool:pre/tool:post over
 * 20 sessions (two with a subagent) made into transitions with and without {@link ViewChanges}, alternately, on one
 * thread. Reports, never asserts. {@code mvn -B -q -o -Dexec.skip -Dhookbus.bench=true -Dtest=ViewChangesCostBench
 * -Dsurefire.failIfNoSpecifiedTests=false test}
 */
@EnabledIfSystemProperty(named = "hookbus.bench", matches = "true")
class ViewChangesCostBench {
  private static final Logger log = LoggerFactory.getLogger(ViewChangesCostBench.class);
  private static final int EVENTS = 300_000;

  @Test
  void nanosecondsPerEventWithAndWithoutViews() {
    for (int round = 0; round < 3; round++) {
      for (boolean withViews : new boolean[] {false, true}) {
        SessionRegistry registry = new SessionRegistry(20, SessionsConfig.DEFAULT_TEAMS, Long.MAX_VALUE / 4);
        ViewChanges views = withViews ? new ViewChanges(registry) : null;
        long started = System.nanoTime();
        long bytes = 0;
        for (int n = 0; n < EVENTS; n++) {
          String session = "bench-" + (n % 20);
          String agent = n % 20 < 2 ? "agent-" + (n % 20) : null;
          String type = n < 2 ? "subagent:start" : (n / 20) % 2 == 0 ? "tool:pre" : "tool:post";
          Event event = new Event(type, n, n, session, agent, Map.of("sessionId", session, "toolName", "Bash"));
          bytes += Transition.accepted(registry.apply(event), n, views).record().body().length;
        }
        long nanos = System.nanoTime() - started;
        log.info("round {} {} views: {} ns per event, {} record bytes per event", round, withViews ? "with" : "without",
            nanos / EVENTS, bytes / EVENTS);
      }
    }
  }
}
