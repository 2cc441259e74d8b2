package dev.weft.bench.net;

/**
 * Counts the HTTP/1.1 request heads that end in a stream of bytes, by finding each blank line
 * ({@code "\r\n\r\n"}), across reads that cut a head anywhere. The benchmark responders answer
 * each head with the same response and ignore what the head says, as Go's raw responder does.
 *
 * <pre>{@code
 * RequestCounter heads = new RequestCounter();
 * int complete = heads.count(buf, 0, n); // heads that ended within these n bytes
 * }</pre>
 */
final class RequestCounter {
  /** How much of "\r\n\r\n" the bytes so far end with: 0 to 3. */
  private int matched;

  /** The number of heads that end within {@code b[off, off + len)}. */
  int count(byte[] b, int off, int len) {
    int heads = 0;
    int m = matched;
    for (int i = off; i < off + len; i++) {
      byte c = b[i];
      if (c == '\r') {
        m = m == 2 ? 3 : 1;
      } else if (c == '\n' && (m == 1 || m == 3)) {
        if (m == 3) {
          heads++;
          m = 0;
        } else {
          m = 2;
        }
      } else {
        m = 0;
      }
    }
    matched = m;
    return heads;
  }
}
