package dev.weft.net;

import java.time.Duration;
import dev.weft.Eventually;
import static dev.weft.net.NetTestKit.addr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Channel;
import dev.weft.Weft;
import dev.weft.WaitGroup;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many connections: fibers blocked on sockets hold no threads, and mass drops leak nothing. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NetScaleTest {
  private NetTestKit.Baseline baseline;
  private int procs;

  @BeforeEach
  void before() {
    procs = Weft.maxProcs();
    baseline = new NetTestKit.Baseline();
  }

  @AfterEach
  void after() throws InterruptedException {
    Weft.setMaxProcs(procs);
    baseline.assertNoLeak();
  }

  @Test
  void aThousandFibersBlockedInReadHoldNoThreads() throws Exception {
    Weft.setMaxProcs(1);
    int n = 1_000;
    int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
    try (Listener l = Net.listen("127.0.0.1:0")) {
      List<Conn> clients = new ArrayList<>();
      AtomicInteger served = new AtomicInteger();
      WaitGroup blocked = new WaitGroup();
      blocked.add(n);
      Weft.go(
          () -> {
            for (int i = 0; i < n; i++) {
              Conn c = l.accept();
              Weft.go(
                  () -> {
                    try (c) {
                      ByteBuffer b = ByteBuffer.allocate(1);
                      blocked.done(); // about to block in read
                      if (c.read(b) == 1) {
                        c.write(ByteBuffer.wrap(new byte[] {(byte) (b.get(0) + 1)}));
                        served.incrementAndGet();
                      }
                    }
                  });
            }
          });
      Weft.call(
          () -> {
            for (int i = 0; i < n; i++) {
              clients.add(Net.dial(addr(l)));
            }
            blocked.await();
            return null;
          });
      // Every server fiber is (about to be) parked in read: wait until the dump shows all of them.
      Eventually.until(
          () -> count(Weft.dumpFibers(), "parked on read on tcp") >= n, Duration.ofSeconds(20));
      assertEquals(n, count(Weft.dumpFibers(), "parked on read on tcp"));
      int threadsBlocked = ManagementFactory.getThreadMXBean().getThreadCount();
      assertTrue(
          threadsBlocked <= threadsBefore + 3,
          threadsBefore + " threads before, " + threadsBlocked + " with 1,000 fibers in read");
      int answered =
          Weft.call(
              () -> {
                int ok = 0;
                for (Conn c : clients) {
                  c.write(new byte[] {41});
                }
                for (Conn c : clients) {
                  ByteBuffer b = ByteBuffer.allocate(1);
                  if (c.read(b) == 1 && b.get(0) == 42) {
                    ok++;
                  }
                  c.close();
                }
                return ok;
              });
      assertEquals(n, answered);
      // A server fiber counts after its write, so its client may read the answer first.
      Eventually.until(() -> served.get() == n, Duration.ofSeconds(10));
      assertEquals(n, served.get());
    }
  }

  @Test
  void tenThousandConnectionsDroppedAtOnceByAnotherProcess() throws Exception {
    int n = 10_000;
    try (Listener l = Net.listen("127.0.0.1:0")) {
      Semaphore ended = new Semaphore(0); // a permit per server fiber that saw its connection end
      Channel<Integer> accepted = Channel.make(1);
      Weft.go(
          () -> {
            for (int i = 0; i < n; i++) {
              Conn c = l.accept();
              Weft.go(
                  () -> {
                    try (c) {
                      ByteBuffer b = ByteBuffer.allocate(16);
                      while (c.read(b) >= 0) {
                        b.clear();
                      }
                    } finally {
                      ended.release();
                    }
                  });
            }
            accepted.send(n);
          });
      String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
      Process child =
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  DropClients.class.getName(),
                  String.valueOf(l.address().getPort()),
                  String.valueOf(n))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      try {
        BufferedReader out =
            new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("connected " + n, out.readLine());
        assertEquals(n, (int) Weft.call(accepted::receive));
        child.getOutputStream().write('\n'); // drop them all
        child.getOutputStream().flush();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not exit");
      } finally {
        child.destroyForcibly();
      }
      assertTrue(
          ended.tryAcquire(n, 30, TimeUnit.SECONDS),
          () -> "server fibers that saw their connection end: " + ended.availablePermits() + " of " + n);
    }
  }

  private static int count(String s, String part) {
    int c = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      c++;
    }
    return c;
  }
}
