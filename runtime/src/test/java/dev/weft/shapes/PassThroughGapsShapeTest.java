package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.SuspendableCallable;
import dev.weft.SuspendableRunnable;
import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.frame.UninstrumentedFrameError;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Frames between two instrumented ones that the check of {@code armedFor} trusts: a lambda proxy
 * whose target the agent did not rewrite (a method reference to a JDK method, here {@code
 * Runnable.run} of a plain lambda). The plain frames below the proxy must never be replayed: the
 * suspension either works with them run once or fails with the error naming them.
 */
@Timeout(60)
class PassThroughGapsShapeTest extends ShapeTest {
  static final AtomicInteger plainRuns = new AtomicInteger();

  @Suspendable
  static int callThrough(SuspendableRunnable r) throws Exception {
    int local = 41;
    r.run();
    return local + 1;
  }

  @Suspendable
  static int callThrough(SuspendableCallable<Integer> c) throws Exception {
    int local = 40;
    return c.call() + local;
  }

  private static void assertRunsOnceOrFailsNaming(
      SuspendableCallable<Integer> body, int expected, String frame) {
    plainRuns.set(0);
    try {
      assertEquals(expected, Fibers.call(body));
    } catch (UninstrumentedFrameError e) {
      assertTrue(
          e.getMessage().contains(frame),
          () -> "the message should name " + frame + ": " + e.getMessage());
    }
    assertEquals(1, plainRuns.get(), "a plain frame ran more than once for one call");
  }

  @Test
  void aMethodReferenceToAPlainRunnableIsNeverReplayed() {
    Runnable plain =
        () -> {
          plainRuns.incrementAndGet();
          Weft.gosched();
        };
    SuspendableRunnable r = plain::run;
    assertRunsOnceOrFailsNaming(() -> callThrough(r), 42, "PassThroughGapsShapeTest.lambda$");
  }

  @Test
  void aMethodReferenceToAPlainSupplierIsNeverReplayed() {
    Supplier<Integer> plain =
        () -> {
          plainRuns.incrementAndGet();
          return Pause.i(2);
        };
    SuspendableCallable<Integer> c = plain::get;
    assertRunsOnceOrFailsNaming(() -> callThrough(c), 42, "PassThroughGapsShapeTest.lambda$");
  }

  /** Not annotated, in a class of its own: a method reference to it is rewritten only later. */
  static final class Elsewhere {
    static void plainStatic() {
      plainRuns.incrementAndGet();
      Weft.gosched();
    }
  }

  @Test
  void aMethodReferenceToAPlainStaticMethodElsewhereIsNeverReplayed() {
    Elsewhere.plainStatic(); // loaded and run plainly (on this thread it does not suspend)
    SuspendableRunnable r = Elsewhere::plainStatic;
    assertRunsOnceOrFailsNaming(() -> callThrough(r), 42, "Elsewhere.plainStatic");
  }

  @Test
  void aSuspendableLambdaStillWorksThroughItsProxy() {
    SuspendableRunnable r =
        () -> {
          plainRuns.incrementAndGet();
          Pause.here();
        };
    plainRuns.set(0);
    assertEquals(42, Fibers.call(() -> callThrough(r)));
    assertEquals(1, plainRuns.get());
  }
}
