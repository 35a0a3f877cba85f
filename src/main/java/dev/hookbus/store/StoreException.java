package dev.hookbus.store;

/** The journal cannot be opened or written (path unwritable, disk full, out-of-order append). */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
