package dev.hookbus.state;

import dev.hookbus.config.AppConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackpressureRulesTest {
  private final Backpressure backpressure = new Backpressure(AppConfig.from(new JsonObject().put("sessions",
      new JsonObject().put("maxUnkeptBytes", 1024).put("maxFanoutBacklog", 100))).sessions());

  @Test
  void refusesWhileTheSlowestRecentBridgeIsBehindAndRecovers() {
    assertThat(backpressure.refusal(0, 1_000, 0)).as("no bridge reported: nothing is behind").isNull();
    backpressure.bridgeAt("fast", 1_000, 0);
    backpressure.bridgeAt("slow", 850, 0);
    assertThat(backpressure.fanoutBacklog(1_000, 10)).isEqualTo(150);
    assertThat(backpressure.refusal(0, 1_000, 10)).contains("150 envelopes behind");
    backpressure.bridgeAt("slow", 990, 20);
    assertThat(backpressure.refusal(0, 1_000, 20)).isNull();
    backpressure.bridgeAt("slow", 0, 30);
    assertThat(backpressure.refusal(0, 1_000, 30 + Backpressure.SILENT_MS + 1))
        .as("a bridge silent for long no longer counts").isNull();
  }

  @Test
  void refusesWhileTheLogHoldsTooMuchUnkept() {
    assertThat(backpressure.refusal(2_000, 0, 0)).contains("2000 bytes not yet kept");
    assertThat(backpressure.refusal(1_000, 0, 0)).isNull();
  }
}
