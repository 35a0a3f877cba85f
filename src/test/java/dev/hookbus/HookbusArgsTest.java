package dev.hookbus;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HookbusArgsTest {

  @Test
  void parsesConfAndCluster() {
    assertThat(Hookbus.Options.parse(new String[] {})).isEqualTo(new Hookbus.Options(null, null, false));
    assertThat(Hookbus.Options.parse(new String[] {"-cluster", "-conf", "a.json"}))
        .isEqualTo(new Hookbus.Options("a.json", null, true));
    assertThat(Hookbus.Options.parse(new String[] {"--conf=b.json", "--cluster", "-ports-file", "p.json"}))
        .isEqualTo(new Hookbus.Options("b.json", "p.json", true));
    assertThatThrownBy(() -> Hookbus.Options.parse(new String[] {"-clustr"})).hasMessageContaining("-clustr");
  }
}
