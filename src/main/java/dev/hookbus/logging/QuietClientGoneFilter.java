package dev.hookbus.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * vertx-web's event-bus bridge logs every exception of a SockJS socket as an ERROR with a stack trace
 * ({@code EventBusBridgeImpl - SockJSSocket exception}), so each closed browser tab wrote one. This filter turns
 * exactly that message, when its exception only says that the client went away ({@link ClientGone}), into one
 * DEBUG line. Everything else that logger says (a client over a bridge limit, a failing bridge handler) and any
 * other exception on a socket stays as it was.
 */
public final class QuietClientGoneFilter extends TurboFilter {
  static final String BRIDGE_LOGGER = "io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl";
  static final String SOCKET_EXCEPTION = "SockJSSocket exception";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.ERROR || t == null || !SOCKET_EXCEPTION.equals(format) || !BRIDGE_LOGGER.equals(logger.getName())
        || !ClientGone.is(t)) {
      return FilterReply.NEUTRAL;
    }
    // Through the logger's own context: a static slf4j logger here would be made while logback is configuring.
    logger.getLoggerContext().getLogger(QuietClientGoneFilter.class)
        .debug("a bridge socket went away: {}", ClientGone.describe(t));
    return FilterReply.DENY;
  }
}
