package dev.weft.io;

import dev.weft.Suspendable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads UTF-8 text line by line from a {@link Reader}, as {@link java.io.BufferedReader#readLine}
 * does from a stream, suspending the fiber (not blocking its worker) while the reader waits.
 *
 * <pre>{@code
 * try (Conn c = Net.dial("127.0.0.1:8000")) {
 *   LineReader lines = new LineReader(c);
 *   for (String line; (line = lines.readLine()) != null; ) {
 *     System.out.println(line);
 *   }
 * }
 * }</pre>
 *
 * <p>A line ends at {@code "\n"} or {@code "\r\n"}, which are not part of the result; a lone
 * {@code "\r"} inside a line is kept, as Go's {@code bufio.Scanner} keeps it. The last line is
 * returned even without a newline, and a {@code "\r"} just before the end of the stream is
 * dropped as if a newline followed. Malformed UTF-8 is replaced by U+FFFD, exactly as an {@code
 * InputStreamReader} for UTF-8 replaces it.
 *
 * <p>How it works: the bytes stay in one reused buffer until a whole line is there, and the line is
 * decoded straight from the buffer into its {@code String}. So a multi-byte character split
 * across two reads needs no care (a {@code '\n'} byte never occurs inside a UTF-8 sequence), and a
 * call that finds its line allocates only the result. A line longer than the buffer doubles the
 * buffer, which then keeps its size.
 *
 * <p>Not thread-safe: one fiber or thread reads a given {@code LineReader} at a time.
 */
public final class LineReader {
  /** Go's {@code bufio} default: small enough for many idle connections, one read for most lines. */
  private static final int INITIAL_CAPACITY = 4096;

  private final Reader in;
  private byte[] bytes;
  /** Wraps {@link #bytes}; its position and limit are set for each read, so reads allocate nothing. */
  private ByteBuffer window;
  /** The unread bytes are {@code bytes[start, end)}. */
  private int start;

  private int end;
  private boolean atEnd;

  /** A reader of the lines of {@code in}; reads nothing yet. */
  public LineReader(Reader in) {
    if (in == null) {
      throw new NullPointerException("in");
    }
    this.in = in;
    this.bytes = new byte[INITIAL_CAPACITY];
    this.window = ByteBuffer.wrap(bytes);
  }

  /**
   * Reads the next line.
   *
   * @return the line without its {@code "\n"} or {@code "\r\n"}; null at the end of the stream
   * @throws IOException when the underlying reader fails; the bytes read so far stay buffered
   */
  @Suspendable
  public String readLine() throws IOException {
    int scanned = start; // bytes before this index hold no '\n': a long line is scanned once
    while (true) {
      byte[] b = bytes;
      for (int i = scanned; i < end; i++) {
        if (b[i] == '\n') {
          String line = decode(start, i);
          start = i + 1;
          return line;
        }
      }
      if (atEnd) {
        if (start == end) {
          return null;
        }
        String line = decode(start, end);
        start = end;
        return line;
      }
      scanned = end - start; // where the scan resumes once fill has moved the bytes to 0
      fill();
      scanned += start;
    }
  }

  /** The line in {@code bytes[from, to)}, without a {@code '\r'} at its end. */
  private String decode(int from, int to) {
    if (to > from && bytes[to - 1] == '\r') {
      to--;
    }
    return new String(bytes, from, to - from, StandardCharsets.UTF_8);
  }

  /** Reads once more, first making room at the end of the buffer; sets {@link #atEnd}. */
  @Suspendable
  private void fill() throws IOException {
    if (end == bytes.length) {
      int unread = end - start;
      if (unread == bytes.length) {
        byte[] larger = new byte[Math.multiplyExact(bytes.length, 2)];
        System.arraycopy(bytes, start, larger, 0, unread);
        bytes = larger;
        window = ByteBuffer.wrap(larger);
      } else {
        System.arraycopy(bytes, start, bytes, 0, unread);
      }
      start = 0;
      end = unread;
    }
    window.limit(bytes.length).position(end);
    int n = in.read(window);
    if (n < 0) {
      atEnd = true;
    } else if (n == 0) {
      // The Reader contract promises at least one byte when there is room; looping would spin.
      throw new IOException(in + " returned 0 bytes from a read with room: a broken Reader");
    } else if (window.position() != end + n) {
      throw new IOException(
          in + " returned " + n + " but moved the buffer by " + (window.position() - end));
    } else {
      end += n;
    }
  }
}
