package dev.weft.bench.net;

import java.nio.charset.StandardCharsets;

/** The one response every benchmark responder sends: the same bytes as the Go responder's. */
final class HelloResponse {
  static final String BODY = "Hello, World!";

  static final byte[] BYTES =
      ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
              + BODY.length()
              + "\r\n\r\n"
              + BODY)
          .getBytes(StandardCharsets.US_ASCII);

  private HelloResponse() {}

  /** {@code n} responses back to back, for answering pipelined requests with one write. */
  static byte[] repeated(int n) {
    byte[] all = new byte[BYTES.length * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(BYTES, 0, all, i * BYTES.length, BYTES.length);
    }
    return all;
  }
}
