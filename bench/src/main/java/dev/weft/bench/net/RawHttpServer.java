package dev.weft.bench.net;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The minimal keep-alive HTTP/1.1 responder of {@code bench/net.sh} on {@code java.net} sockets,
 * one thread per connection, platform or virtual: what a Java user writes without Weft. It reads
 * request heads up to their blank line and answers each with {@link HelloResponse}; the answers
 * to a batch of pipelined requests go out in one write.
 *
 * <pre>{@code
 * java -Djdk.virtualThreadScheduler.parallelism=1 -cp weft-bench.jar \
 *     dev.weft.bench.net.RawHttpServer vthreads 127.0.0.1:0
 * }</pre>
 *
 * <p>Prints {@code listening on HOST:PORT} once bound, then serves until killed.
 */
public final class RawHttpServer {
  private RawHttpServer() {}

  /** {@code threads|vthreads [HOST:PORT]}. */
  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: RawHttpServer threads|vthreads [HOST:PORT]");
      System.exit(2);
    }
    Starter starter = Starter.named(args[0]);
    ServerSocket server = Addresses.bind(args.length > 1 ? args[1] : "127.0.0.1:0");
    System.out.println("listening on " + Addresses.text(server));
    System.out.flush();
    starter.start(() -> acceptLoop(server, starter));
    Thread.currentThread().join(); // until killed
  }

  private static void acceptLoop(ServerSocket server, Starter starter) {
    while (true) {
      try {
        Socket s = server.accept();
        starter.start(() -> serve(s));
      } catch (IOException e) {
        System.err.println("accept: " + e);
      }
    }
  }

  private static void serve(Socket s) {
    try (s) {
      s.setTcpNoDelay(true);
      InputStream in = s.getInputStream();
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 4096);
      RequestCounter heads = new RequestCounter();
      byte[] buf = new byte[4096];
      for (int n; (n = in.read(buf)) > 0; ) {
        int k = heads.count(buf, 0, n);
        if (k > 0) {
          for (int i = 0; i < k; i++) {
            out.write(HelloResponse.BYTES);
          }
          out.flush();
        }
      }
    } catch (IOException e) {
      // the client went away: nothing to do
    }
  }

  /** Keeps {@code InetSocketAddress} parsing in one place. */
  static final class Addresses {
    private Addresses() {}

    static ServerSocket bind(String hostPort) throws IOException {
      int colon = hostPort.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("not HOST:PORT: " + hostPort);
      }
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(
          new InetSocketAddress(
              hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
          // A long accept queue, as Go asks for (somaxconn): thousands of clients connect at once.
          4096);
      return server;
    }

    static String text(ServerSocket server) {
      return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }
  }
}
