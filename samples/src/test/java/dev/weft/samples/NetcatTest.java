package dev.weft.samples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Weft;
import dev.weft.io.LineReader;
import dev.weft.net.Conn;
import dev.weft.net.Listener;
import dev.weft.net.Net;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Netcat against a small server in this JVM, with standard input and output replaced: both
 * directions, and the half-close that lets the server answer after the input has ended.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NetcatTest {
  @Test
  void relaysBothWaysAndHalfClosesAtTheEndOfItsInput() throws Exception {
    try (Listener listener = Net.listen("127.0.0.1:0")) {
      // Upper-cases every line; once its input ends it still answers with a count, then hangs up.
      Weft.go(
          () -> {
            try (Conn c = listener.accept()) {
              LineReader lines = new LineReader(c);
              int n = 0;
              for (String line; (line = lines.readLine()) != null; n++) {
                c.write((line.toUpperCase(Locale.ROOT) + "\n").getBytes(UTF_8));
              }
              c.write(("read " + n + " lines\n").getBytes(UTF_8));
            }
          });
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status =
          Netcat.run(
              new String[] {"--connect", HostPort.of(listener.address())},
              new ByteArrayInputStream("one\ntwo\nthree\n".getBytes(UTF_8)),
              new PrintStream(out, true, UTF_8),
              new PrintStream(err, true, UTF_8));
      assertEquals(0, status, err.toString(UTF_8));
      assertEquals("ONE\nTWO\nTHREE\nread 3 lines\n", out.toString(UTF_8));
    }
  }

  @Test
  void anAddressThatDoesNotParseIsAUsageError() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Netcat.run(
            new String[] {"--connect", "127.0.0.1:notaport"},
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(new ByteArrayOutputStream(), true, UTF_8),
            new PrintStream(err, true, UTF_8));
    assertEquals(CommandLine.USAGE_STATUS, status);
    assertTrue(err.toString(UTF_8).contains("notaport"), err.toString(UTF_8));
  }
}
