package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.SuspendableCallable;
import org.junit.jupiter.api.Test;

/**
 * Recursion: fib-like trees of calls suspending at the leaves, mutual recursion, recursion through
 * lambda proxies, and one chain 100,000 frames deep (by default) that suspends at the bottom and at
 * several levels on the way down and back up (it needs the workers' large stacks).
 */
class RecursionShapeTest extends ShapeTest {
  /**
   * 100,000 unless {@code -Dweft.test.recursionDepth} says otherwise: the stress mode caps it, as a
   * resume there re-enters every frame at every level.
   */
  private static final int DEEP = Integer.getInteger("weft.test.recursionDepth", 100_000);

  private static final int LEVEL = Math.max(1, DEEP / 4);

  @Suspendable
  private static int fib(int n) {
    if (n < 2) {
      if (n == 1) {
        Pause.here();
      }
      return n;
    }
    int a = fib(n - 1);
    // a is on the operand stack while the second call suspends in its leaves.
    return a + fib(n - 2);
  }

  @Test
  void fibSuspendingAtTheLeaves() {
    assertEquals(Integer.valueOf(144), Fibers.call(() -> fib(12)));
  }

  @Suspendable
  private static double fibDouble(int n, double scale) {
    if (n < 2) {
      return Pause.d(n * scale);
    }
    long marker = n * 1_000_000_007L;
    double r = fibDouble(n - 1, scale) + fibDouble(n - 2, scale);
    assertEquals(n * 1_000_000_007L, marker);
    return r;
  }

  @Test
  void fibOverDoublesWithWideLocalsInEveryFrame() {
    assertEquals(Double.valueOf(55 * 0.5), Fibers.call(() -> fibDouble(10, 0.5)));
  }

  @Suspendable
  private static boolean isEven(int n) {
    if (n == 0) {
      return Pause.z(true);
    }
    if (n % 7 == 0) {
      Pause.here();
    }
    return isOdd(n - 1);
  }

  @Suspendable
  private static boolean isOdd(int n) {
    if (n == 0) {
      return Pause.z(false);
    }
    return isEven(n - 1);
  }

  @Test
  void mutualRecursion() {
    Fibers.run(
        () -> {
          assertTrue(isEven(50));
          assertFalse(isEven(31));
          assertTrue(isOdd(101));
        });
  }

  /** Recursion where every level goes through a lambda proxy, a stateless frame. */
  private static final class ViaLambdas {
    @Suspendable
    static int count(int n) throws Exception {
      if (n == 0) {
        Pause.here();
        return 0;
      }
      SuspendableCallable<Integer> next = () -> 1 + count(n - 1);
      return next.call();
    }
  }

  @Test
  void recursionThroughLambdaProxies() {
    assertEquals(Integer.valueOf(500), Fibers.call(() -> ViaLambdas.count(500)));
  }

  @Suspendable
  private static long deep(int n, long acc) {
    double half = n / 2.0;
    if (n == 0) {
      Pause.deep(DEEP);
      return acc;
    }
    boolean level = n % LEVEL == 0;
    if (level) {
      // On the way down: DEEP - n + 1 frames of this method are on the stack.
      Pause.deep(DEEP - n + 1);
    }
    long r = n + deep(n - 1, acc + 1); // n is on the operand stack at every level
    if (level) {
      Pause.deep(DEEP - n + 1); // and on the way back up
    }
    if (half != n / 2.0) {
      throw new AssertionError("frame " + n + " lost its local: " + half);
    }
    return r;
  }

  @Test
  void hundredThousandFramesDeepSuspendingAtTheBottomAndOnTheWay() {
    long expected = (long) DEEP * (DEEP + 1) / 2 + DEEP;
    assertEquals(Long.valueOf(expected), Fibers.call(() -> deep(DEEP, 0)));
  }

  @Test
  void deepRecursionTwiceInOneFiber() {
    // Twice in one fiber, with shallow suspensions between: the saved stack grows, is emptied,
    // and grows again.
    Fibers.run(
        () -> {
          long expected = (long) DEEP * (DEEP + 1) / 2 + DEEP;
          assertEquals(expected, deep(DEEP, 0));
          Pause.here();
          assertEquals(144, fib(12));
          assertEquals(expected, deep(DEEP, 0));
          Pause.here();
        });
  }
}
