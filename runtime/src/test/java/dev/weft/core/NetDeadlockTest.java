package dev.weft.core;

import java.time.Duration;
import dev.weft.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Weft;
import dev.weft.net.Conn;
import dev.weft.net.Listener;
import dev.weft.net.Net;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Network waits as the deadlock detector and the fiber dump see them: the network can always wake
 * a fiber waiting on a socket, so it is never deadlocked, and the dump says what it waits for.
 */
class NetDeadlockTest {

  @Test
  void aFiberWaitingOnTheNetworkIsWakeableAndDumpedWithItsSocket() {
    assertTimeoutPreemptively(
        ParkerTest.HANG_GUARD,
        () -> {
          try (Listener l = Net.listen("127.0.0.1:0")) {
            AtomicReference<String> dump = new AtomicReference<>("");
            long checksBefore = DeadlockDetector.quiescentChecks;
            Thread peer =
                new Thread(
                    () -> {
                      try (Conn c = Net.dial("127.0.0.1:" + l.address().getPort())) {
                        // Until main waits in read, the detector has looked at the idle
                        // scheduler (bounded)...
                        Eventually.until(
                            () -> {
                              dump.set(Weft.dumpFibers());
                              return dump.get().contains("parked on read on tcp")
                                  && DeadlockDetector.quiescentChecks != checksBefore;
                            },
                            Duration.ofSeconds(10));
                        // ...and longer than the grace in which a wrongly found deadlock would
                        // have been reported.
                        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(3 * DeadlockDetector.GRACE_NANOS));
                        c.write("late".getBytes(StandardCharsets.UTF_8));
                      } catch (Exception e) {
                        throw new AssertionError(e);
                      }
                    });
            peer.start();
            String got =
                Weft.call(
                    () -> {
                      try (Conn c = l.accept()) {
                        // No deadline: a pending timer alone would keep the detector from looking.
                        ByteBuffer b = ByteBuffer.allocate(4);
                        while (b.hasRemaining() && c.read(b) > 0) {}
                        return new String(b.array(), StandardCharsets.UTF_8);
                      }
                    });
            peer.join();
            assertEquals("late", got);
            String d = dump.get();
            assertTrue(
                d.matches("(?s).*parked on read on tcp 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:\\d+,"
                    + " no deadline\\]:.*"),
                d);
            assertTrue(d.contains("NetDeadlockTest"), d); // where it waits
          }
        });
  }
}
