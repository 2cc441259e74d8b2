package dev.weft.samples;

import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.net.Conn;
import dev.weft.net.Net;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.CompletionException;

/**
 * A minimal TCP client, {@code netcat3} of <i>The Go Programming Language</i> (section 8.4.1):
 * standard input goes to the server, what the server sends goes to standard output.
 *
 * <pre>{@code
 * ./weft run Netcat --connect 127.0.0.1:8000
 * }</pre>
 *
 * <p>A background fiber copies the connection to standard output and signals a {@code done}
 * channel when the server closes its side; the main fiber copies standard input to the connection,
 * and at its end half-closes the connection ({@link Conn#closeWrite}), so the server reads the
 * end of its input but can still answer, then waits for {@code done}. Reading standard input is a
 * plain blocking read: the scheduler lends a spare worker while it blocks.
 */
public final class Netcat {
  static final Options OPTIONS =
      new Options("usage: Netcat [--connect HOST:PORT]   (default 127.0.0.1:8000)")
          .value("connect");

  private Netcat() {}

  /** Runs the sample; see the class comment. */
  public static void main(String[] args) throws Exception {
    CommandLine.exit(run(args, System.in, System.out, System.err));
  }

  static int run(String[] args, InputStream in, PrintStream out, PrintStream err)
      throws Exception {
    return CommandLine.run(
        OPTIONS,
        args,
        out,
        err,
        (o, stdout, stderr) -> {
          String address = o.text("connect", "127.0.0.1:8000");
          try {
            Weft.run(() -> relay(Net.dial(address), in, stdout));
          } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage()); // an address that does not parse
          } catch (CompletionException e) {
            // A checked exception of the fiber (connection refused): the program's own failure.
            throw e.getCause() instanceof IOException ? (IOException) e.getCause() : e;
          }
        });
  }

  /**
   * Copies {@code in} to {@code conn} and {@code conn} to {@code out} until both ends are done:
   * the input has ended and the server has closed its side. Closes {@code conn}.
   */
  @Suspendable
  public static void relay(Conn conn, InputStream in, OutputStream out) throws IOException {
    Channel<Boolean> done = Channel.make();
    Weft.go(
        () -> {
          try {
            copy(conn, out); // the server's answers, until it closes
          } catch (IOException e) {
            // the connection broke: as at its end, stop
          } finally {
            done.send(true); // signal the main fiber
          }
        });
    try {
      byte[] buf = new byte[4096];
      for (int n; (n = in.read(buf)) >= 0; ) {
        conn.write(buf, 0, n);
      }
      conn.closeWrite();
      done.receive(); // wait for the background fiber to finish
    } finally {
      conn.close();
    }
  }

  @Suspendable
  private static void copy(Conn from, OutputStream to) throws IOException {
    byte[] buf = new byte[4096];
    for (int n; (n = from.read(buf, 0, buf.length)) >= 0; ) {
      to.write(buf, 0, n);
      to.flush();
    }
  }
}
