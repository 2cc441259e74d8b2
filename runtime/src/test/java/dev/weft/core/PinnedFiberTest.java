package dev.weft.core;

import static dev.weft.core.ParkerTest.atProcs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.Weft;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A fiber that blocks inside {@code synchronized} cannot unwind: it pins its worker thread. The
 * scheduler must hand the worker's place to another worker so that the other fibers keep running.
 */
class PinnedFiberTest {
  private final Object lock = new Object();

  /**
   * A fiber that computes inside {@code synchronized} cannot unwind when asked to yield; at
   * maxprocs 1 the monitor must then give its place to a compensating worker, or main starves.
   */
  @Test
  void aFiberComputingWhilePinnedDoesNotStarveOthers() {
    AtomicBoolean stop = new AtomicBoolean();
    Object computeLock = new Object();
    atProcs(
        1,
        () -> {
                  try {
                    int got =
                        Weft.call(
                            () -> {
                              WaitGroupLatch started = new WaitGroupLatch();
                              Weft.go(
                                  () -> {
                                    synchronized (computeLock) {
                                      started.open();
                                      while (!stop.get()) {
                                        Thread.onSpinWait();
                                      }
                                    }
                                  });
                              started.await();
                              // Only a compensating worker can run us from here on.
                              return Weft.call(() -> 5);
                            });
                    assertEquals(5, got);
                  } finally {
                    stop.set(true);
                  }
                });
  }

  /** A one-shot latch that fibers wait on by suspending. */
  static final class WaitGroupLatch {
    private final dev.weft.WaitGroup wg = new dev.weft.WaitGroup();

    WaitGroupLatch() {
      wg.add(1);
    }

    void open() {
      wg.done();
    }

    @Suspendable
    void await() {
      wg.await();
    }
  }

  @Test
  void otherFibersRunWhileOneIsPinnedAtOneProc() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true));
    try {
      atProcs(
          1,
          () ->
              Weft.run(
                  () -> {
                    Channel<String> toPinned = Channel.make();
                    Channel<String> fromPinned = Channel.make();
                    Weft.go(() -> pinnedRelay(toPinned, fromPinned));
                    // At maxprocs 1 this only works if a compensating worker runs us while the
                    // pinned fiber blocks its thread in receive().
                    toPinned.send("ping");
                    assertEquals("ping!", fromPinned.receive());
                  }));
    } finally {
      System.setErr(err);
    }
    String warning = captured.toString();
    assertTrue(warning.contains("WARNING: Weft: a fiber blocked while holding a monitor"), warning);
    assertTrue(warning.contains("PinnedFiberTest.pinnedRelay(PinnedFiberTest.java:"), warning);
  }

  @Suspendable
  private void pinnedRelay(Channel<String> in, Channel<String> out) {
    synchronized (lock) {
      String s = in.receive(); // pinned: blocks the worker thread
      out.send(s + "!");
    }
  }

  @Test
  void thePinnedWarningIsPrintedOncePerPlace() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true));
    try {
      atProcs(
          1,
          () ->
              Weft.run(
                  () -> {
                    for (int i = 0; i < 3; i++) {
                      pinnedPark();
                    }
                  }));
    } finally {
      System.setErr(err);
    }
    String text = captured.toString();
    assertTrue(text.contains("PinnedFiberTest.pinnedPark(PinnedFiberTest.java:"), text);
    assertEquals(-1, text.indexOf("WARNING", text.indexOf("WARNING") + 1), text);
  }

  @Suspendable
  private void pinnedPark() {
    synchronized (lock) {
      Parker me = Parker.current();
      me.unpark();
      me.park("pinned with a permit"); // returns at once, but still pinned
      AtomicBoolean woken = new AtomicBoolean();
      // At maxprocs 1 this fiber cannot run before we block: we hold the only slot.
      Weft.go(
          () -> {
            woken.set(true);
            me.unpark();
          });
      while (!woken.get()) {
        me.park("pinned until the other fiber runs"); // the same place every time
      }
    }
  }

  @Test
  void aPinnedTimedParkTimesOut() {
    atProcs(
        1,
        () ->
            Weft.run(
                () -> {
                  synchronized (lock) {
                    long t0 = System.nanoTime();
                    boolean woken = Parker.current().parkNanos("pinned timeout", 10_000_000L);
                    assertTrue(!woken && System.nanoTime() - t0 >= 10_000_000L);
                  }
                }));
  }

  @Test
  void aPinnedSleepKeepsOthersRunning() {
    atProcs(
        1,
        () ->
            Weft.run(
                () -> {
                  AtomicBoolean otherRan = new AtomicBoolean();
                  Weft.go(() -> otherRan.set(true));
                  synchronized (lock) {
                    while (!otherRan.get()) {
                      Weft.sleep(1);
                    }
                  }
                }));
  }
}
