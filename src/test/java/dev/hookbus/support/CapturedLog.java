package dev.hookbus.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every WARN and ERROR line logged in this JVM (the in-process hookbus, vertx-web, Netty) while it is attached:
 * {@code CapturedLog.attach()} before, {@link #problems()} to assert on, {@link #close()} after.
 */
public final class CapturedLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<String> problems = new CopyOnWriteArrayList<>();

  private CapturedLog() {
  }

  public static CapturedLog attach() {
    CapturedLog log = new CapturedLog();
    log.setName("captured-" + System.identityHashCode(log));
    log.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
    log.start();
    root().addAppender(log);
    return log;
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
      problems.add(event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage()
          + (event.getThrowableProxy() == null ? "" : " (" + event.getThrowableProxy().getClassName() + ": "
          + event.getThrowableProxy().getMessage() + ")"));
    }
  }

  /** The WARN and ERROR lines so far, one string each: level, logger, message and the exception if any. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  @Override
  public void close() {
    root().detachAppender(this);
    stop();
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
