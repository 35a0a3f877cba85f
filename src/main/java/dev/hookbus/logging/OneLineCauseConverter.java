package dev.hookbus.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.CoreConstants;
import org.slf4j.Logger;

/**
 * {@code %cause} in the log pattern: an exception logged with a message is written on the same line, as its class
 * and message and those of its causes ({@code — java.io.IOException: No space left on device}). With the root level
 * at DEBUG or finer the whole stack trace follows, as logback writes it by default.
 */
public final class OneLineCauseConverter extends ThrowableHandlingConverter {
  private final ThrowableProxyConverter fullTrace = new ThrowableProxyConverter();

  @Override
  public void start() {
    fullTrace.setContext(getContext());
    fullTrace.start();
    super.start();
  }

  @Override
  public String convert(ILoggingEvent event) {
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown == null) {
      return "";
    }
    if (getContext() instanceof LoggerContext loggers && loggers.getLogger(Logger.ROOT_LOGGER_NAME).isDebugEnabled()) {
      String trace = fullTrace.convert(event);
      return CoreConstants.LINE_SEPARATOR + trace.stripTrailing();
    }
    StringBuilder line = new StringBuilder(" — ");
    int depth = 0;
    for (IThrowableProxy t = thrown; t != null && depth < 5; t = t.getCause(), depth++) {
      if (depth > 0) {
        line.append("; caused by ");
      }
      line.append(t.getClassName());
      if (t.getMessage() != null) {
        line.append(": ").append(t.getMessage().replaceAll("\\s*[\\r\\n]+\\s*", " "));
      }
    }
    return line.toString();
  }
}
