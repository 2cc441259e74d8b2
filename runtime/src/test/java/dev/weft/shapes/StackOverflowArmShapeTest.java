package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.frame.FrameStack;
import dev.weft.frame.UninstrumentedFrameError;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stack overflow thrown between a caller's arm and its callee's prologue (deep recursion through
 * suspendable methods, caught above) leaves no stale arm: a plain method called afterwards, whose
 * callee then starts a suspension, fails with the error naming it instead of being unwound through.
 * Run on a {@link SmallStackCarrier}, so the overflow comes quickly.
 */
@Timeout(60)
class StackOverflowArmShapeTest {
  static final AtomicInteger plainRuns = new AtomicInteger();
  static final AtomicInteger deepest = new AtomicInteger();

  /** Starts a suspension: refused with the error when the path is not armed. */
  @Suspendable
  static void suspendHere() {
    FrameStack.suspend();
  }

  /** Not annotated: the frame the error must name. */
  static void plainCaller() {
    plainRuns.incrementAndGet();
    suspendHere();
  }

  @Suspendable
  static long recurse(long n, Object carried) {
    deepest.set((int) n);
    return recurse(n + 1, carried) + n;
  }

  /** Mutual recursion through an instance method and a static one, both armed. */
  static final class Node {
    @Suspendable
    long down(long n) {
      return bounce(this, n + 1) + 1;
    }
  }

  @Suspendable
  static long bounce(Node node, long n) {
    return node.down(n) + 1;
  }

  static final Object LOCK = new Object();

  @Suspendable
  static long recurseLocked(long n) {
    synchronized (LOCK) {
      deepest.set((int) n);
      return recurseLocked(n + 1) + 1;
    }
  }

  @Suspendable
  static void overflowThenPlainCall(int shape) {
    try {
      if (shape == 0) {
        recurse(0, "x");
      } else if (shape == 1) {
        bounce(new Node(), 0);
      } else {
        recurseLocked(0);
      }
    } catch (StackOverflowError expected) {
      // caught above the overflow; the fiber goes on
    }
    if (Thread.holdsLock(LOCK)) {
      throw new AssertionError("the overflow left a monitor held");
    }
    plainCaller();
  }

  private static void assertOverflowLeavesNoStaleArm(int shape) {
    plainRuns.set(0);
    deepest.set(0);
    UninstrumentedFrameError e =
        assertThrows(
            UninstrumentedFrameError.class,
            () -> SmallStackCarrier.run(() -> overflowThenPlainCall(shape)),
            "a stale arm let the suspension through the plain caller");
    assertTrue(
        e.getMessage().contains("StackOverflowArmShapeTest.plainCaller()V"),
        () -> "the message should name plainCaller: " + e.getMessage());
    assertEquals(1, plainRuns.get());
  }

  /**
   * The frame that catches the overflow is a plain one that the root's arm reached: what the
   * catch-all around each armed call is for, since no instrumented handler runs on the way up.
   */
  static void plainCatcherThenSuspend() {
    try {
      recurse(0, "y");
    } catch (StackOverflowError expected) {
      // caught in a plain frame
    }
    plainCaller();
  }

  @Test
  void aStackOverflowCaughtByAPlainFrameLeavesNoStaleArm() {
    plainRuns.set(0);
    UninstrumentedFrameError e =
        assertThrows(
            UninstrumentedFrameError.class,
            () -> SmallStackCarrier.run(StackOverflowArmShapeTest::plainCatcherThenSuspend),
            "a stale arm let the suspension through the plain frames");
    assertTrue(
        e.getMessage().contains("StackOverflowArmShapeTest.plainC"),
        () -> "the message should name a plain frame: " + e.getMessage());
    assertEquals(1, plainRuns.get());
  }

  @Test
  void aStackOverflowInStaticRecursionLeavesNoStaleArm() {
    assertOverflowLeavesNoStaleArm(0);
    assertTrue(deepest.get() > 100, "the recursion overflowed at depth " + deepest.get());
  }

  @Test
  void aStackOverflowInMutualRecursionLeavesNoStaleArm() {
    assertOverflowLeavesNoStaleArm(1);
  }

  @Test
  void aStackOverflowInsideMonitorsReleasesThemAndLeavesNoStaleArm() {
    assertOverflowLeavesNoStaleArm(2);
    assertTrue(deepest.get() > 100, "the recursion overflowed at depth " + deepest.get());
  }
}
