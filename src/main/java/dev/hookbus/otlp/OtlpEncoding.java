package dev.hookbus.otlp;

import dev.hookbus.bus.FailureCode;
import dev.hookbus.bus.Refusal;

import java.util.Locale;

/** The two OTLP/HTTP encodings, told apart by the request's Content-Type (its parameters ignored). */
public enum OtlpEncoding {
  JSON("application/json"),
  PROTOBUF("application/x-protobuf");

  private final String mediaType;

  OtlpEncoding(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  /** The encoding a Content-Type names; a Refusal (415) for anything else, a missing header included. */
  public static OtlpEncoding of(String contentType) {
    if (contentType != null) {
      String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      for (OtlpEncoding encoding : values()) {
        if (encoding.mediaType.equals(media)) {
          return encoding;
        }
      }
    }
    throw new Refusal(FailureCode.UNSUPPORTED_MEDIA_TYPE, "OTLP/HTTP takes Content-Type application/json or "
        + "application/x-protobuf, not " + (contentType == null ? "none" : "\"" + contentType + "\""));
  }
}
