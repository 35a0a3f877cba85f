package dev.hookbus.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * A WebSocket client that subscribes and then never reads another byte, with a tiny receive buffer: the kernel
 * stops accepting data almost at once, as with a browser tab frozen by the debugger or a dead laptop on Wi-Fi.
 * Plain blocking JDK sockets on the test thread, so nothing reads on its behalf.
 */
public final class StalledWebSocket implements AutoCloseable {
  private final Socket socket;

  private StalledWebSocket(Socket socket) {
    this.socket = socket;
  }

  public static StalledWebSocket subscribe(int port, String address) throws IOException {
    return subscribe(port, "/eventbus/websocket", "{\"type\":\"register\",\"address\":\"" + address + "\"}");
  }

  /** The same over SockJS's websocket transport: the register frame goes in a SockJS array. */
  public static StalledWebSocket subscribeSockJs(int port, String address) throws IOException {
    return subscribe(port, "/eventbus/123/stalled1/websocket",
        "[\"{\\\"type\\\":\\\"register\\\",\\\"address\\\":\\\"" + address + "\\\"}\"]");
  }

  private static StalledWebSocket subscribe(int port, String uri, String registerMessage) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(5_000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    readHandshake(socket.getInputStream());
    out.write(maskedTextFrame(registerMessage));
    out.flush();
    return new StalledWebSocket(socket);
  }

  private static void readHandshake(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed during the handshake: " + head);
      }
      head.append((char) b);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("handshake refused: " + head);
    }
  }

  /** One masked text frame, as a client must send it; short payloads only. */
  public static byte[] maskedTextFrame(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    if (payload.length > 125) {
      throw new IllegalArgumentException("keep test frames short");
    }
    byte[] mask = new byte[4];
    new SecureRandom().nextBytes(mask);
    byte[] frame = new byte[6 + payload.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | payload.length);
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    return frame;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
