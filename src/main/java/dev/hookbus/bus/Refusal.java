package dev.hookbus.bus;

/**
 * A request hookbus refuses (bad JSON, an invalid event, too large), with the code the client sees. No stack trace:
 * it is an answer, not a fault. Thrown by the parsers and mappers, turned into the JSON error by ingest.
 */
public class Refusal extends RuntimeException {
  private final FailureCode code;

  public Refusal(FailureCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public FailureCode code() {
    return code;
  }
}
