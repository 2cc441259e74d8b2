package dev.weft.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.Weft;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LineReader against BufferedReader's lines, with the input chopped at every split point, read on a
 * plain thread and in a fiber whose reader suspends before every piece.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LineReaderTest {

  /** Inputs without a lone '\r', so that BufferedReader's lines are the expected ones. */
  static Stream<Arguments> inputs() {
    return Stream.of(
        Arguments.of("plain lines", utf8("one\ntwo\nthree\n")),
        Arguments.of("crlf and a last line without newline", utf8("one\r\ntwo\r\nlast")),
        Arguments.of("empty lines", utf8("\n\r\n\nx\n\n")),
        Arguments.of("empty input", new byte[0]),
        Arguments.of(
            "two-, three- and four-byte characters",
            utf8("h\u00e9llo w\u00f6rld \u20ac\r\n\ud834\udd1e clef\n\u4e2d\u6587")),
        Arguments.of(
            "malformed: a cut sequence before the newline, a stray byte, a cut one at the end",
            bytes(0x61, 0xE2, 0x82, 0x0A, 0xFF, 0x62, 0x0D, 0x0A, 0xC3, 0x28, 0x0A, 0xF0, 0x9D)),
        Arguments.of(
            "malformed: overlong, surrogate and out-of-range encodings",
            bytes(0xC0, 0xAF, 0x0A, 0xED, 0xA0, 0x80, 0x0A, 0xF4, 0x90, 0x80, 0x80, 0x0A)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void everySplitPointOnAPlainThread(String name, byte[] input) throws IOException {
    List<String> expected = bufferedReaderLines(input);
    for (int[] cuts : splits(input.length)) {
      assertEquals(expected, readAll(new ChoppedReader(input, cuts, false)), describe(cuts));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void everySplitPointInAFiberThatSuspendsOnEveryRead(String name, byte[] input)
      throws IOException {
    List<String> expected = bufferedReaderLines(input);
    List<int[]> splits = splits(input.length);
    List<String> failures =
        Weft.call(
            () -> {
              List<String> wrong = new ArrayList<>();
              for (int[] cuts : splits) {
                List<String> got = readAll(new ChoppedReader(input, cuts, true));
                if (!got.equals(expected)) {
                  wrong.add(describe(cuts) + ": " + got);
                }
              }
              return wrong;
            });
    assertEquals(List.of(), failures, "expected " + expected);
  }

  @Test
  void aLineLongerThanTheBufferGrowsIt() throws IOException {
    StringBuilder longLine = new StringBuilder();
    while (longLine.length() < 20_000) {
      longLine.append("\u20ac\u00e9x"); // 3 + 2 + 1 bytes: sequences straddle every boundary
    }
    byte[] input = utf8("short\n" + longLine + "\r\nafter\n" + longLine);
    List<String> expected = List.of("short", longLine.toString(), "after", longLine.toString());
    for (int piece : new int[] {1, 7, 4095, 4096, 4097, 50_000}) {
      int[] cuts = evenCuts(input.length, piece);
      assertEquals(expected, readAll(new ChoppedReader(input, cuts, false)), "pieces of " + piece);
      assertEquals(
          expected,
          Weft.call(() -> readAll(new ChoppedReader(input, cuts, true))),
          "pieces of " + piece + " in a fiber");
    }
  }

  @Test
  void aLoneCarriageReturnStaysInTheLineAndOneBeforeTheEndIsDropped() throws IOException {
    assertEquals(List.of("a\rb", "c"), readAll(new ChoppedReader(utf8("a\rb\nc\r"), new int[0], false)));
    assertEquals(List.of("\r"), readAll(new ChoppedReader(utf8("\r\r\n"), new int[0], false)));
  }

  @Test
  void afterTheEndEveryCallReturnsNull() throws IOException {
    LineReader r = new LineReader(new ChoppedReader(utf8("x"), new int[0], false));
    assertEquals("x", r.readLine());
    assertNull(r.readLine());
    assertNull(r.readLine());
  }

  @Test
  void aReaderThatReturnsZeroWithRoomIsAnErrorNotASpin() {
    LineReader r = new LineReader(dst -> 0);
    IOException e = assertThrows(IOException.class, r::readLine);
    assertTrue(e.getMessage().contains("0 bytes"), e.getMessage());
  }

  @Test
  void aFailingReadKeepsTheBytesReadSoFar() throws IOException {
    byte[] first = utf8("par");
    byte[] second = utf8("tial\nnext\n");
    int[] calls = {0};
    Reader flaky =
        dst -> {
          switch (calls[0]++) {
            case 0:
              dst.put(first);
              return first.length;
            case 1:
              throw new IOException("transient");
            case 2:
              dst.put(second);
              return second.length;
            default:
              return -1;
          }
        };
    LineReader r = new LineReader(flaky);
    assertThrows(IOException.class, r::readLine);
    assertEquals("partial", r.readLine());
    assertEquals("next", r.readLine());
    assertNull(r.readLine());
  }

  @Test
  void aLineFoundInTheBufferAllocatesOnlyTheResult() throws Exception {
    byte[] chunk = utf8("0123456789abcdefghij\n".repeat(100)); // 21 bytes a line
    Reader endless =
        dst -> {
          int n = Math.min(dst.remaining(), chunk.length);
          dst.put(chunk, 0, n);
          return n;
        };
    LineReader r = new LineReader(endless);
    for (int i = 0; i < 200_000; i++) { // warm up: the figure is for compiled code
      r.readLine();
    }
    int lines = 100_000;
    long tid = Thread.currentThread().getId();
    long before = allocatedBytes(tid);
    for (int i = 0; i < lines; i++) {
      r.readLine();
    }
    long perLine = (allocatedBytes(tid) - before) / lines;
    // A 20-character Latin-1 String is a 24-byte object and a 40-byte array; the decoder may size
    // its array before it knows the string is Latin-1, so allow one more array of that size.
    assertTrue(perLine <= 24 + 40 + 40, perLine + " bytes allocated per line");
  }

  // ---------------------------------------------------------------------------------------------

  /** A Reader returning {@code data} in the pieces between {@code cuts}, optionally yielding. */
  private static final class ChoppedReader implements Reader {
    private final byte[] data;
    private final int[] bounds;
    private final boolean yieldFirst;
    private int next;
    private int pos;

    ChoppedReader(byte[] data, int[] cuts, boolean yieldFirst) {
      this.data = data;
      this.bounds = Arrays.copyOf(cuts, cuts.length + 1);
      this.bounds[cuts.length] = data.length;
      this.yieldFirst = yieldFirst;
    }

    @Override
    public int read(ByteBuffer dst) {
      if (yieldFirst) {
        Weft.gosched();
      }
      while (next < bounds.length && bounds[next] <= pos) {
        next++;
      }
      if (pos == data.length) {
        return -1;
      }
      if (!dst.hasRemaining()) {
        return 0;
      }
      int n = Math.min(dst.remaining(), bounds[next] - pos);
      dst.put(data, pos, n);
      pos += n;
      return n;
    }
  }

  @Suspendable
  private static List<String> readAll(Reader in) throws IOException {
    LineReader r = new LineReader(in);
    List<String> lines = new ArrayList<>();
    for (String line; (line = r.readLine()) != null; ) {
      lines.add(line);
    }
    return lines;
  }

  private static List<String> bufferedReaderLines(byte[] input) throws IOException {
    BufferedReader r =
        new BufferedReader(new InputStreamReader(new ByteArrayInputStream(input), UTF_8));
    List<String> lines = new ArrayList<>();
    for (String line; (line = r.readLine()) != null; ) {
      lines.add(line);
    }
    return lines;
  }

  /** Every way to cut the input once and twice, and into pieces of one, two and three bytes. */
  private static List<int[]> splits(int length) {
    List<int[]> all = new ArrayList<>();
    all.add(new int[0]);
    for (int i = 1; i < length; i++) {
      all.add(new int[] {i});
      for (int j = i + 1; j < length; j++) {
        all.add(new int[] {i, j});
      }
    }
    for (int piece = 1; piece <= 3; piece++) {
      all.add(evenCuts(length, piece));
    }
    return all;
  }

  private static int[] evenCuts(int length, int piece) {
    int[] cuts = new int[Math.max(0, (length - 1) / piece)];
    for (int k = 0; k < cuts.length; k++) {
      cuts[k] = (k + 1) * piece;
    }
    return cuts;
  }

  /** HotSpot's per-thread allocation counter (com.sun.management, read reflectively). */
  private static long allocatedBytes(long threadId) throws ReflectiveOperationException {
    Object bean = ManagementFactory.getThreadMXBean();
    Method m =
        Class.forName("com.sun.management.ThreadMXBean")
            .getMethod("getThreadAllocatedBytes", long.class);
    return (Long) m.invoke(bean, threadId);
  }

  private static String describe(int[] cuts) {
    return "cut at " + Arrays.toString(cuts);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  private static byte[] bytes(int... values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int v : values) {
      out.write(v);
    }
    return out.toByteArray();
  }
}
