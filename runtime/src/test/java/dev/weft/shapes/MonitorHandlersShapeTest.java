package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.frame.UninstrumentedFrameError;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The code the rewrite adds to clear a stale arm must leave {@code synchronized} exactly as javac
 * wrote it: a fiber that suspends (pinned) inside synchronized blocks and methods, and throws out
 * of them, keeps its values, releases each monitor exactly once (a second release would throw
 * IllegalMonitorStateException, a missing one would leave it held).
 */
@Timeout(60)
class MonitorHandlersShapeTest extends ShapeTest {
  static final AtomicInteger plainRuns = new AtomicInteger();

  static final class Boom extends RuntimeException {
    final long carried;

    Boom(long carried) {
      super(null, null, false, false);
      this.carried = carried;
    }
  }

  /** Suspends, but is not annotated: the frame the error must name. */
  static void plainSleeper() {
    plainRuns.incrementAndGet();
    Weft.sleep(1);
  }

  @Suspendable
  static long blockThatSuspendsThenThrows(Object lock, long base, String tag) {
    long acc = base;
    try {
      synchronized (lock) {
        Weft.sleep(1);
        acc += tag.length();
        Weft.gosched();
        if (acc > 0) {
          throw new Boom(acc);
        }
      }
    } catch (Boom e) {
      assertFalse(Thread.holdsLock(lock));
      // Outside the monitor again: this suspension unwinds (the witness checks it), not pinned.
      return e.carried * 2 + Pause.i(tag.length());
    }
    return -1;
  }

  @Test
  void aSynchronizedBlockSuspendsThrowsAndReleasesOnce() {
    Object lock = new Object();
    long got = Fibers.call(() -> blockThatSuspendsThenThrows(lock, 1L << 40, "abc"));
    assertEquals(((1L << 40) + 3) * 2 + 3, got);
    assertFalse(Thread.holdsLock(lock));
  }

  static final class Counter {
    int value;

    @Suspendable
    synchronized int addAfterSleep(int d, boolean fail) {
      int before = value;
      Weft.sleep(1);
      value = before + d;
      if (fail) {
        throw new Boom(value);
      }
      Weft.gosched();
      return value;
    }
  }

  @Suspendable
  static String nested(Object outer, Counter c, double scale) {
    String trace = "";
    synchronized (outer) {
      trace += c.addAfterSleep(2, false);
      try {
        synchronized (c) {
          trace += "," + c.addAfterSleep(3, true);
        }
      } catch (Boom e) {
        trace += ",boom" + e.carried;
        assertTrue(Thread.holdsLock(outer));
        assertFalse(Thread.holdsLock(c));
      }
      Weft.gosched();
      trace += "," + (scale * c.addAfterSleep(5, false));
    }
    assertFalse(Thread.holdsLock(outer));
    return trace;
  }

  @Test
  void synchronizedMethodsInsideNestedBlocksKeepValuesAndReleaseEachMonitorOnce() {
    Object outer = new Object();
    Counter c = new Counter();
    String got = Fibers.call(() -> nested(outer, c, 0.5));
    assertEquals("2,boom5,5.0", got);
    assertEquals(10, c.value);
    assertFalse(Thread.holdsLock(outer));
    assertFalse(Thread.holdsLock(c));
  }

  static final class Target {
    @Suspendable
    void work() {
      Weft.gosched();
    }
  }

  @Suspendable
  static void nullReceiverInsideAMonitorThenPlainCall(Object lock) {
    Target t = null;
    try {
      synchronized (lock) {
        t.work();
      }
    } catch (NullPointerException expected) {
      assertFalse(Thread.holdsLock(lock));
    }
    plainSleeper();
  }

  @Test
  void aNullReceiverInsideAMonitorLeavesNoStaleArm() {
    plainRuns.set(0);
    Object lock = new Object();
    UninstrumentedFrameError e =
        assertThrows(
            UninstrumentedFrameError.class,
            () -> Fibers.run(() -> nullReceiverInsideAMonitorThenPlainCall(lock)));
    assertTrue(
        e.getMessage().contains("MonitorHandlersShapeTest.plainSleeper()V"),
        () -> "the message should name plainSleeper: " + e.getMessage());
    assertEquals(1, plainRuns.get());
    assertFalse(Thread.holdsLock(lock));
  }
}
