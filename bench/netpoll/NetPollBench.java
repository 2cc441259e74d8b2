import dev.weft.Weft;
import dev.weft.net.Conn;
import dev.weft.net.Listener;
import dev.weft.net.Net;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The poller's own measurements (bench/netpoll.sh): a minimal keep-alive HTTP responder for wrk,
 * and an idle server holding connections from a child process while its CPU time is measured.
 *
 * <pre>
 *   http PORT          serve "hello" to every request, one fiber per connection
 *   idle N SECONDS     hold N idle connections (from a child "hold"), print CPU% and threads
 *   hold PORT N        open N connections, wait for a line on stdin
 * </pre>
 */
public final class NetPollBench {
  private static final byte[] RESPONSE =
      ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello")
          .getBytes(StandardCharsets.US_ASCII);

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "http":
        http(Integer.parseInt(args[1]));
        break;
      case "idle":
        idle(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        break;
      case "hold":
        hold(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        break;
      default:
        throw new IllegalArgumentException(args[0]);
    }
  }

  static void http(int port) throws Exception {
    Listener l = Net.listen("127.0.0.1:" + port);
    System.out.println("listening " + l.address());
    Weft.run(
        () -> {
          for (; ; ) {
            Conn c = l.accept();
            Weft.go(() -> serve(c));
          }
        });
  }

  /** Reads requests (headers only, no bodies: wrk's GETs) and answers each. */
  @dev.weft.Suspendable
  static void serve(Conn c) throws Exception {
    try (c) {
      ByteBuffer in = ByteBuffer.allocate(4096);
      ByteBuffer out = ByteBuffer.wrap(RESPONSE);
      int matched = 0; // of "\r\n\r\n"
      for (; ; ) {
        in.clear();
        int n = c.read(in);
        if (n < 0) {
          return;
        }
        byte[] a = in.array();
        for (int i = 0; i < n; i++) {
          byte b = a[i];
          matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
          if (matched == 4) {
            matched = 0;
            out.clear();
            c.write(out);
          }
        }
      }
    }
  }

  static void idle(int n, int seconds) throws Exception {
    Listener l = Net.listen("127.0.0.1:0");
    AtomicInteger accepted = new AtomicInteger();
    Weft.go(
        () -> {
          for (; ; ) {
            Conn c = l.accept();
            accepted.incrementAndGet();
            Weft.go(
                () -> {
                  try (c) {
                    c.read(ByteBuffer.allocate(16));
                  }
                });
          }
        });
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), "NetPollBench", "hold",
                String.valueOf(l.address().getPort()), String.valueOf(n))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    System.out.println("child: " + out.readLine());
    while (accepted.get() < n) {
      Thread.sleep(10);
    }
    Thread.sleep(5000); // let the accepting, and the compilations it started, settle
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long cpu = os.getProcessCpuTime() - cpu0;
    long wall = System.nanoTime() - t0;
    System.out.printf(
        "RESULT idle conns=%d seconds=%d cpu_percent_of_one_core=%.3f threads=%d fibers=%d%n",
        n, seconds, 100.0 * cpu / wall, ManagementFactory.getThreadMXBean().getThreadCount(),
        Weft.numFibers());
    child.getOutputStream().write('\n');
    child.getOutputStream().flush();
    child.waitFor();
    System.exit(0);
  }

  static void hold(int port, int n) throws Exception {
    List<SocketChannel> held = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      held.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
    }
    System.out.println("holding " + held.size());
    System.in.read();
    System.exit(0);
  }
}
