package dev.weft.bench.net;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's own {@code com.sun.net.httpserver.HttpServer} answering "Hello, World!", its handlers
 * on virtual threads: the standard Java server, for context next to the raw responders.
 *
 * <pre>{@code
 * java -Djdk.virtualThreadScheduler.parallelism=1 -cp weft-bench.jar \
 *     dev.weft.bench.net.JdkHttpServer 127.0.0.1:0
 * }</pre>
 */
public final class JdkHttpServer {
  private JdkHttpServer() {}

  /** {@code [HOST:PORT]}; prints {@code listening on HOST:PORT}, then serves until killed. */
  public static void main(String[] args) throws Exception {
    String hostPort = args.length > 0 ? args[0] : "127.0.0.1:0";
    int colon = hostPort.lastIndexOf(':');
    HttpServer server =
        HttpServer.create(
            new InetSocketAddress(
                hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
            4096);
    byte[] body = HelloResponse.BODY.getBytes(StandardCharsets.US_ASCII);
    server.createContext(
        "/",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "text/plain");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.setExecutor(
        (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null));
    server.start();
    InetSocketAddress bound = server.getAddress();
    System.out.println(
        "listening on " + bound.getAddress().getHostAddress() + ":" + bound.getPort());
    System.out.flush();
  }
}
