package dev.hookbus.otlp;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.util.JsonFormat;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.bus.Refusal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Bytes to the official OTLP request classes and responses back to bytes, in either encoding. JSON goes through
 * protobuf's own JsonFormat (the OTLP JSON mapping is protobuf's, with int64 as strings or numbers, enums as
 * numbers), ignoring fields it does not know, as the OTLP spec asks of receivers.
 */
public final class OtlpCodec {
  /** {@code google.rpc.Code.INVALID_ARGUMENT}, the code of the Status a 400 carries. */
  public static final int INVALID_ARGUMENT = 3;
  private static final JsonFormat.Parser JSON = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

  private OtlpCodec() {
  }

  /** Decodes one export request; a Refusal with {@link FailureCode#INVALID_OTLP} when the bytes are not one. */
  @SuppressWarnings("unchecked")
  public static <T extends Message> T decode(byte[] body, OtlpEncoding encoding, T empty) {
    try {
      if (encoding == OtlpEncoding.PROTOBUF) {
        return ((Parser<T>) empty.getParserForType()).parseFrom(body);
      }
      Message.Builder builder = empty.newBuilderForType();
      JSON.merge(new String(body, StandardCharsets.UTF_8), builder);
      return (T) builder.build();
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new Refusal(FailureCode.INVALID_OTLP, "the body is not an OTLP " + empty.getDescriptorForType().getName()
          + " in " + encoding.mediaType() + ": " + firstLine(e.getMessage()));
    }
  }

  public static byte[] encode(Message response, OtlpEncoding encoding) {
    if (encoding == OtlpEncoding.PROTOBUF) {
      return response.toByteArray();
    }
    try {
      return PRINTER.print(response).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("an OTLP response did not print as JSON", e);
    }
  }

  /**
   * A {@code google.rpc.Status} (code 1, message 2) in the request's encoding, as OTLP/HTTP wants in a 4xx body;
   * written by hand because its class is not in the OTLP artifact.
   */
  public static byte[] status(int code, String message, OtlpEncoding encoding) {
    if (encoding == OtlpEncoding.JSON) {
      return io.vertx.core.json.JsonObject.of("code", code, "message", message).toBuffer().getBytes();
    }
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeInt32(1, code);
      out.writeString(2, message);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    String line = message.lines().findFirst().orElse("unreadable");
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
