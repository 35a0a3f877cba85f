package dev.hookbus.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * What is logged in this JVM (the in-process hookbus, vertx-web, Netty; every logger at the configured levels) while
 * it is open: {@code CapturedLog.start()} before, {@link #lines} or {@link #problems} to assert on, {@link #close()}.
 */
public final class CapturedLog implements AutoCloseable {
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private CapturedLog() {
    appender.setContext(root.getLoggerContext());
    appender.start();
    root.addAppender(appender);
  }

  public static CapturedLog start() {
    return new CapturedLog();
  }

  /** {@code "ERROR StoreHealth - the journal cannot be written …"}, one per event at {@code level} or above. */
  public List<String> lines(Level level) {
    synchronized (appender) {
      return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(level))
          .map(e -> e.getLevel() + " " + e.getLoggerName().replaceAll(".*\\.", "") + " - " + e.getFormattedMessage()
              + (e.getThrowableProxy() == null ? "" : " (" + e.getThrowableProxy().getClassName() + ": "
              + e.getThrowableProxy().getMessage() + ")"))
          .toList();
    }
  }

  /** The WARN and ERROR lines so far. */
  public List<String> problems() {
    return lines(Level.WARN);
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
