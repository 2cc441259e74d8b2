package dev.weft.core;

import static dev.weft.core.ParkerTest.atProcs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.Weft;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The monitor notices a worker stuck in a plain blocking call and starts a compensating worker,
 * so that runnable fibers never wait behind a blocked one; and it preempts a fiber that computes
 * for longer than its time slice.
 */
class CompensationTest {

  @Test
  void aFiberBlockedOnALatchDoesNotStopTheOneThatReleasesIt() {
    atProcs(
        1,
        () ->
            Weft.run(
                () -> {
                  CountDownLatch latch = new CountDownLatch(1);
                  Weft.go(latch::countDown); // queued behind us on our only worker
                  latch.await(); // WAITING: the monitor retakes our worker's slot
                }));
  }

  @Test
  void aFiberBlockedInThreadSleepIsCompensated() {
    atProcs(
        1,
        () ->
            Weft.run(
                () -> {
                  AtomicBoolean ran = new AtomicBoolean();
                  Weft.go(() -> ran.set(true));
                  while (!ran.get()) {
                    Thread.sleep(20); // TIMED_WAITING in a plain call: a blocked worker
                  }
                }));
  }

  @Test
  void aFiberBlockedInNativeIoIsCompensated() {
    atProcs(
        1,
        () -> {
          try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            Weft.run(
                () -> {
                  Weft.go(() -> connect(port)); // must run while we block in accept()
                  try (Socket accepted = server.accept()) { // RUNNABLE, in native code
                    assertEquals(42, accepted.getInputStream().read());
                  }
                });
          }
        });
  }

  private static void connect(int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      s.getOutputStream().write(42);
      s.getOutputStream().flush();
    }
  }

  @Test
  void compensatingWorkersRetireAndMaxProcsStillBoundsTheRunningOnes() {
    atProcs(
        1,
        () -> {
          for (int round = 0; round < 3; round++) {
            Weft.run(
                () -> {
                  CountDownLatch latch = new CountDownLatch(1);
                  Weft.go(latch::countDown);
                  latch.await();
                });
          }
          // Afterwards at most one worker holds a slot: two computing fibers that wait for each
          // other to run at the same time could only finish with two.
          AtomicBoolean overlap = new AtomicBoolean();
          Weft.run(
              () -> {
                AtomicBoolean aRunning = new AtomicBoolean();
                dev.weft.WaitGroup wg = new dev.weft.WaitGroup();
                wg.add(2);
                Weft.go(
                    () -> {
                      aRunning.set(true);
                      for (int i = 0; i < 200; i++) {
                        Weft.gosched();
                      }
                      aRunning.set(false);
                      wg.done();
                    });
                Weft.go(
                    () -> {
                      spinAWhile(aRunning, overlap);
                      wg.done();
                    });
                wg.await();
              });
          assertTrue(!overlap.get(), "two fibers ran at once at maxprocs 1");
        });
  }

  /** Busy for a moment without yielding; notes if the other fiber ran meanwhile. */
  private static void spinAWhile(AtomicBoolean other, AtomicBoolean overlap) {
    boolean wasRunning = other.get();
    long until = System.nanoTime() + 2_000_000L;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    // With one worker, "other" cannot have changed while we spun (we never yielded).
    if (other.get() != wasRunning) {
      overlap.set(true);
    }
  }

  @Test
  void aComputingFiberIsPreemptedAfterItsTimeSlice() {
    atProcs(
        1,
        () ->
            Weft.run(
                () -> {
                  AtomicBoolean stop = new AtomicBoolean();
                  Weft.go(() -> stop.set(true));
                  long spins = computeUntil(stop); // never blocks, never yields by itself
                  assertTrue(spins > 0);
                }));
  }

  @Test
  void aComputingFiberWhoseLoopTouchesAnArrayIsPreemptedToo() {
    atProcs(
        1,
        () ->
            Weft.run(
                () -> {
                  AtomicBoolean stop = new AtomicBoolean();
                  Weft.go(() -> stop.set(true));
                  long spins = computeOverCellsUntil(stop, new int[64]);
                  assertTrue(spins > 0);
                }));
  }

  /** A loop that writes an array element: its check counts down before it reads the flag. */
  @Suspendable
  private static long computeOverCellsUntil(AtomicBoolean stop, int[] cells) {
    long n = 0;
    while (!stop.get()) {
      cells[(int) (n & 63)]++;
      n++;
    }
    return n;
  }

  @Suspendable
  private static long computeUntil(AtomicBoolean stop) {
    long n = 0;
    while (!stop.get()) { // the agent's back-edge check yields here once the monitor asks
      n++;
    }
    return n;
  }
}
