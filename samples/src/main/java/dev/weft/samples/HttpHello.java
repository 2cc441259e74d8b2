package dev.weft.samples;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.net.Conn;
import dev.weft.net.Listener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;

/**
 * A minimal keep-alive HTTP/1.1 server that answers every request with "Hello, World!": one fiber
 * per connection, on {@code dev.weft.net}. Enough for {@code curl} and {@code wrk}; not a web
 * server (it never reads a request body, and ignores what the request asks for).
 *
 * <pre>{@code
 * GOMAXPROCS=1 ./weft run HttpHello --listen 127.0.0.1:8080
 * curl http://127.0.0.1:8080/
 * wrk -c100 http://127.0.0.1:8080/
 * }</pre>
 *
 * <p>Each connection's fiber reads into one buffer, finds the end of each request head (its blank
 * line), and answers all the heads a read completed with one write, so pipelined requests cost
 * one system call per batch. A connection waiting for its next request holds no thread, only its
 * fiber's few frames and its read buffer, which is why that buffer starts small (256 bytes, where a
 * {@code wrk} or {@code curl} request head is under 100; the heads are scanned as the bytes come,
 * so a longer one just takes several reads, and a read that fills the buffer doubles it, up to 4
 * KB) and the write buffer is made only when the first answer is due: thousands of idle keep-alive
 * connections cost little memory.
 */
public final class HttpHello {
  static final Options OPTIONS =
      new Options("usage: HttpHello [--listen HOST:PORT]   (default 127.0.0.1:8080)")
          .value("listen");

  private static final byte[] RESPONSE =
      ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!")
          .getBytes(US_ASCII);

  /** The read buffer's first and largest sizes; see the class comment. */
  private static final int FIRST_READ_BUFFER = 256;

  private static final int MAX_READ_BUFFER = 4096;

  private HttpHello() {}

  /** Runs the sample; see the class comment. */
  public static void main(String[] args) throws Exception {
    CommandLine.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    return CommandLine.run(
        OPTIONS,
        args,
        out,
        err,
        (o, stdout, stderr) -> {
          Listener listener = Listeners.open(o.text("listen", "127.0.0.1:8080"));
          stdout.println("HttpHello: listening on http://" + HostPort.of(listener.address()) + "/");
          stdout.flush();
          Weft.run(() -> serve(listener));
        });
  }

  /** Accepts connections until {@code listener} is closed, serving each in a fiber of its own. */
  @Suspendable
  public static void serve(Listener listener) {
    while (true) {
      Conn conn;
      try {
        conn = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      Weft.go(() -> serve(conn));
    }
  }

  /** Answers every request head on {@code conn} until the client hangs up. */
  @Suspendable
  static void serve(Conn conn) {
    ByteBuffer in = ByteBuffer.allocate(FIRST_READ_BUFFER);
    ByteBuffer out = null; // made when the first answer is due
    byte[] bytes = in.array();
    int matched = 0; // how much of "\r\n\r\n" the bytes so far end with
    try (conn) {
      while (conn.read(in) > 0) {
        for (int i = 0; i < in.position(); i++) {
          byte b = bytes[i];
          if (b == '\r') {
            matched = matched == 2 ? 3 : 1;
          } else if (b == '\n' && matched == 3) { // a head ends: answer it
            matched = 0;
            if (out == null) {
              out = ByteBuffer.allocate(1024);
            } else if (out.remaining() < RESPONSE.length) {
              flush(conn, out);
            }
            out.put(RESPONSE);
          } else if (b == '\n' && matched == 1) {
            matched = 2;
          } else {
            matched = 0;
          }
        }
        if (!in.hasRemaining() && in.capacity() < MAX_READ_BUFFER) {
          in = ByteBuffer.allocate(in.capacity() * 2); // busy: fewer reads for the same bytes
          bytes = in.array();
        } else {
          in.clear();
        }
        if (out != null) {
          flush(conn, out);
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  @Suspendable
  private static void flush(Conn conn, ByteBuffer out) throws IOException {
    if (out.position() > 0) {
      out.flip();
      conn.write(out);
      out.clear();
    }
  }
}
