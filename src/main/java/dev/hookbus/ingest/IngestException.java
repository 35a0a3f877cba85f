package dev.hookbus.ingest;

import dev.hookbus.bus.FailureCode;

/** A request ingest refuses; carries the code the client sees. No stack trace: it is an answer, not a fault. */
public class IngestException extends RuntimeException {
  private final FailureCode code;

  public IngestException(FailureCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public FailureCode code() {
    return code;
  }
}
