package dev.hookbus.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Failure codes carried by event-bus replies ({@code message.fail(code, text)}) and the HTTP status and
 * JSON {@code code} each one maps to. The numbers are part of the API browsers see: never reorder, never reuse.
 */
public enum FailureCode {
  /** The body is not JSON at all. */
  INVALID_JSON(1, 400),
  /** Valid JSON that is not a valid event; the message names the field. */
  INVALID_EVENT(2, 422),
  /** The body is larger than {@code ingest.maxBodyBytes}. */
  PAYLOAD_TOO_LARGE(3, 413),
  /** The state actor did not answer in time, or is not there. */
  UNAVAILABLE(4, 503),
  /** No such route or resource. */
  NOT_FOUND(5, 404),
  /** The route exists, not with this method. */
  METHOD_NOT_ALLOWED(6, 405),
  /** Anything unexpected; logged where it happened. */
  INTERNAL(7, 500),
  /** A bus request whose body is not what the address takes (for example a history request without since). */
  INVALID_REQUEST(8, 400),
  /** A token is configured and the request did not present a valid one. */
  UNAUTHORIZED(9, 401),
  /** The journal cannot be written (disk full, path gone); nothing of the request was kept. Retry later. */
  STORE_UNAVAILABLE(10, 503),
  /** hookbus is stopping and takes no new events. Retry against the next instance or after the restart. */
  SHUTTING_DOWN(11, 503),
  /** The Host header is not a name this port answers to (DNS rebinding, or a name missing from allowedHosts). */
  MISDIRECTED_HOST(12, 421),
  /** A web page from an origin that is not allowed, or a browser request to a route no web page may use. */
  FORBIDDEN_ORIGIN(13, 403),
  /** The request body did not arrive in full within {@code ingest.bodyTimeoutMs}. */
  REQUEST_TIMEOUT(14, 408),
  /**
   * hookbus is behind (the journal, the fan-out to browsers, or requests waiting for the state actor are past their
   * bound); nothing of the request was kept. Sent with {@code Retry-After}; retry in a moment.
   */
  OVERLOADED(15, 503),
  /** No approval has this id (never had, or forgotten long ago). */
  UNKNOWN(16, 404),
  /** The approval was decided already, or answered elsewhere (superseded); the first decision wins. */
  ALREADY_DECIDED(17, 409),
  /** The approval's {@code approvals.holdMs} passed; the terminal decides. */
  EXPIRED(18, 410),
  /** The caller is known but may not do this (a viewer token without {@code hookbus.approvals.decide}). */
  FORBIDDEN(19, 403),
  /** An OTLP route was sent a Content-Type other than application/json or application/x-protobuf. */
  UNSUPPORTED_MEDIA_TYPE(20, 415),
  /** An OTLP body that does not decode as the export request of its route (answered as an OTLP Status). */
  INVALID_OTLP(21, 400);

  private final int code;
  private final int httpStatus;

  FailureCode(int code, int httpStatus) {
    this.code = code;
    this.httpStatus = httpStatus;
  }

  public int code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public static FailureCode ofCode(int code) {
    for (FailureCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return INTERNAL;
  }

  /**
   * The code for an HTTP status that a layer below hookbus (vertx-web, the HTTP codec) chose; a status with no code
   * of its own gets the generic one of its class, {@link #INVALID_REQUEST} or {@link #INTERNAL}.
   */
  public static FailureCode ofHttpStatus(int status) {
    for (FailureCode c : values()) {
      if (c.httpStatus == status && c != INVALID_JSON) {
        return c;
      }
    }
    return status < 500 ? INVALID_REQUEST : INTERNAL;
  }

  /** Maps a failed event-bus request to the failure code a client should see. */
  public static FailureCode of(Throwable failure) {
    if (failure instanceof Refusal refusal) {
      return refusal.code();
    }
    if (failure instanceof ReplyException reply) {
      return reply.failureType() == ReplyFailure.RECIPIENT_FAILURE ? ofCode(reply.failureCode()) : UNAVAILABLE;
    }
    return INTERNAL;
  }
}
