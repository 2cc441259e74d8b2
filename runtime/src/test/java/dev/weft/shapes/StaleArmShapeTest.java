package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.frame.UninstrumentedFrameError;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An exception thrown between a caller's arming of a suspendable call and the callee's prologue
 * (a null receiver, a failed class initialisation) must not leave the call armed: a plain method
 * called afterwards, which suspends, must fail with the error naming it, not unwind through it.
 */
@Timeout(60)
class StaleArmShapeTest extends ShapeTest {
  static final AtomicInteger plainRuns = new AtomicInteger();

  static final class Target {
    @Suspendable
    void work() {
      Pause.here();
    }
  }

  /** Suspends, but is not annotated: the frame the error must name. */
  static void plainSleeper() {
    plainRuns.incrementAndGet();
    Weft.sleep(1);
  }

  @Suspendable
  static void nullReceiverCaughtThenPlainCall() {
    Target t = null;
    try {
      t.work();
    } catch (NullPointerException expected) {
      // the call never reached work()'s prologue
    }
    plainSleeper();
  }

  private static void assertNamesPlainSleeper(UninstrumentedFrameError e) {
    assertTrue(
        e.getMessage().contains("StaleArmShapeTest.plainSleeper()V"),
        () -> "the message should name plainSleeper: " + e.getMessage());
  }

  @Test
  void aNullReceiverLeavesNoStaleArm() {
    plainRuns.set(0);
    UninstrumentedFrameError e =
        assertThrows(
            UninstrumentedFrameError.class,
            () -> Fibers.run(StaleArmShapeTest::nullReceiverCaughtThenPlainCall));
    assertNamesPlainSleeper(e);
    assertEquals(1, plainRuns.get());
  }

  static final class BrokenInit {
    static final int VALUE = Integer.parseInt("not a number");

    @Suspendable
    static int work() {
      Pause.here();
      return VALUE;
    }
  }

  @Suspendable
  static void failedInitialisationCaughtThenPlainCall() {
    try {
      BrokenInit.work();
    } catch (ExceptionInInitializerError expected) {
      // the call never reached work()'s prologue
    }
    plainSleeper();
  }

  @Test
  void aFailedClassInitialisationLeavesNoStaleArm() {
    plainRuns.set(0);
    UninstrumentedFrameError e =
        assertThrows(
            UninstrumentedFrameError.class,
            () -> Fibers.run(StaleArmShapeTest::failedInitialisationCaughtThenPlainCall));
    assertNamesPlainSleeper(e);
    assertEquals(1, plainRuns.get());
  }

  /** A suspendable interface, called through a dynamic proxy. */
  interface Job {
    @Suspendable
    void run();
  }

  /** Arms a call on a null receiver, and lets the exception escape. */
  static final class FailingJob implements Job {
    @Override
    @Suspendable
    public void run() {
      Target t = null;
      t.work();
    }
  }

  @Test
  void anExceptionEscapingIntoAPlainFrameLeavesNoStaleArm() {
    AtomicInteger handled = new AtomicInteger();
    Job target = new FailingJob();
    // A plain frame that catches what the instrumented method threw, then calls a method that
    // suspends: it must fail naming this handler, not unwind through it.
    InvocationHandler retrying =
        (proxy, method, args) -> {
          handled.incrementAndGet();
          try {
            return method.invoke(target, args);
          } catch (InvocationTargetException e) {
            Weft.sleep(1);
            return null;
          }
        };
    Job job =
        (Job) Proxy.newProxyInstance(Job.class.getClassLoader(), new Class<?>[] {Job.class}, retrying);
    UninstrumentedFrameError e =
        assertThrows(UninstrumentedFrameError.class, () -> Fibers.run(job::run));
    assertTrue(
        e.getMessage().contains("StaleArmShapeTest.lambda$"),
        () -> "the message should name the handler: " + e.getMessage());
    assertEquals(1, handled.get());
  }
}
