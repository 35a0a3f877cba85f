package dev.hookbus.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code %cause} as logback.xml configures it, in this JVM's logback. */
class OneLineCauseConverterTest {
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  private String layout(Throwable thrown) {
    PatternLayout layout = new PatternLayout();
    layout.setContext(root.getLoggerContext());
    layout.setPattern("%-5level %msg%cause%n");
    layout.start();
    return layout.doLayout(new LoggingEvent(Logger.FQCN, root, Level.ERROR, "rebuilding failed", thrown, null));
  }

  @Test
  @DisplayName("a real fault is one line with the cause and its causes; at DEBUG the whole trace follows")
  void oneLineUnlessDebug() {
    IOException fault = new IOException("No space left on device", new IllegalStateException("segment\ngone"));
    assertThat(layout(fault)).isEqualTo("ERROR rebuilding failed — java.io.IOException: No space left on device; "
        + "caused by java.lang.IllegalStateException: segment gone" + System.lineSeparator());
    assertThat(layout(null)).isEqualTo("ERROR rebuilding failed" + System.lineSeparator());
    Level before = root.getLevel();
    root.setLevel(Level.DEBUG);
    try {
      assertThat(layout(fault)).startsWith("ERROR rebuilding failed" + System.lineSeparator()
          + "java.io.IOException: No space left on device").contains("\tat ").contains("Caused by: ");
    } finally {
      root.setLevel(before);
    }
  }

  @Test
  @DisplayName("only a peer going away counts as a client gone")
  void clientGone() {
    assertThat(ClientGone.is(new java.net.SocketException("Connection reset"))).isTrue();
    assertThat(ClientGone.is(new io.vertx.core.http.HttpClosedException("Connection was closed"))).isTrue();
    assertThat(ClientGone.is(new RuntimeException(new IOException("readAddress(..) failed: Connection reset by peer"))))
        .isTrue();
    assertThat(ClientGone.is(new IOException("No space left on device"))).isFalse();
    assertThat(ClientGone.is(new IllegalStateException("bug"))).isFalse();
    assertThat(ClientGone.is(null)).isFalse();
  }
}
