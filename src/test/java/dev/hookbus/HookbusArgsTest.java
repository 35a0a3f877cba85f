package dev.hookbus;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HookbusArgsTest {

  @Test
  void parsesConfAndCluster() {
    assertThat(Hookbus.Args.parse(new String[] {})).isEqualTo(new Hookbus.Args(null, false));
    assertThat(Hookbus.Args.parse(new String[] {"-cluster", "-conf", "a.json"}))
        .isEqualTo(new Hookbus.Args("a.json", true));
    assertThat(Hookbus.Args.parse(new String[] {"--conf=b.json", "--cluster"}))
        .isEqualTo(new Hookbus.Args("b.json", true));
    assertThatThrownBy(() -> Hookbus.Args.parse(new String[] {"-clustr"})).hasMessageContaining("-clustr");
  }
}
