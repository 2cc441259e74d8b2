package dev.weft.bench.net;

import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.net.Conn;
import dev.weft.net.Listener;
import dev.weft.net.Net;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The echo server of {@code bench/net.sh} on Weft: one fiber per connection writes back what it
 * reads, through one 4 KB buffer, as the Go echo server in {@code bench/go/net.go} does.
 *
 * <pre>{@code
 * java -javaagent:weft-agent.jar -Dweft.maxprocs=1 -cp weft-bench.jar \
 *     dev.weft.bench.net.WeftEchoServer 127.0.0.1:0
 * }</pre>
 */
public final class WeftEchoServer {
  private WeftEchoServer() {}

  /** {@code [HOST:PORT]}; prints {@code listening on HOST:PORT}, then serves until killed. */
  public static void main(String[] args) throws Exception {
    Listener listener = Net.listen(args.length > 0 ? args[0] : "127.0.0.1:0");
    System.out.println(
        "listening on "
            + listener.address().getAddress().getHostAddress()
            + ":"
            + listener.address().getPort());
    System.out.flush();
    Weft.run(
        () -> {
          while (true) {
            Conn c = listener.accept();
            Weft.go(() -> echo(c));
          }
        });
  }

  @Suspendable
  private static void echo(Conn c) {
    ByteBuffer buf = ByteBuffer.allocate(4096);
    try (c) {
      while (c.read(buf) > 0) {
        buf.flip();
        c.write(buf);
        buf.clear();
      }
    } catch (IOException e) {
      // the client went away
    }
  }
}
