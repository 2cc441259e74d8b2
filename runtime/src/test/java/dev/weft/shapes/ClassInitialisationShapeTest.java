package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.frame.UninstrumentedFrameError;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A class initialisation runs between a caller's arm and the prologue of the static method whose
 * call triggered it. Whatever the initialiser calls must neither take that arm (a suspendable
 * static method called from it would read it as its own, and unwind through the initialiser) nor
 * consume it (the method the caller armed must still be able to suspend).
 */
@Timeout(60)
class ClassInitialisationShapeTest extends ShapeTest {
  static final AtomicInteger notes = new AtomicInteger();
  static final AtomicInteger initRuns = new AtomicInteger();

  /** Suspendable, but does not suspend when called from an initialiser. */
  @Suspendable
  static int note() {
    notes.incrementAndGet();
    return 2;
  }

  static final class InitCallsSuspendable {
    static final int TWO = note();

    @Suspendable
    static int work(int x) {
      Pause.here();
      return x + TWO;
    }
  }

  @Suspendable
  static int callTriggeringInit() {
    int local = 30;
    return InitCallsSuspendable.work(10) + local;
  }

  @Test
  void anInitialiserCallingSuspendableCodeDoesNotConsumeTheArm() {
    notes.set(0);
    assertEquals(42, Fibers.call(ClassInitialisationShapeTest::callTriggeringInit));
    assertEquals(1, notes.get());
  }

  /** Suspends when called: from an initialiser, that must fail, naming the initialiser. */
  @Suspendable
  static int sleepy() {
    initRuns.incrementAndGet();
    Weft.sleep(1);
    return 5;
  }

  static final class InitSuspends {
    static final int FIVE = sleepy();

    @Suspendable
    static int work() {
      Pause.here();
      return FIVE;
    }
  }

  @Suspendable
  static int callTriggeringSuspendingInit() {
    return InitSuspends.work();
  }

  @Test
  void anInitialiserThatSuspendsFailsNamingItself() {
    initRuns.set(0);
    UninstrumentedFrameError e =
        assertThrows(
            UninstrumentedFrameError.class,
            () -> Fibers.call(ClassInitialisationShapeTest::callTriggeringSuspendingInit));
    assertTrue(
        e.getMessage().contains("InitSuspends.<clinit>"),
        () -> "the message should name the initialiser: " + e.getMessage());
    assertEquals(1, initRuns.get(), "the initialiser ran more than once");
  }

  static final AtomicInteger baseInitRuns = new AtomicInteger();

  /** Suspends when called: from a plain initialiser, that must fail, naming the initialiser. */
  @Suspendable
  static int sleepyForBase() {
    baseInitRuns.incrementAndGet();
    Weft.sleep(1);
    return 3;
  }

  /** A superclass the agent has no reason to rewrite, whose initialiser suspends. */
  static class PlainBase {
    static final int THREE = sleepyForBase();
  }

  static final class InitOfSuperclass extends PlainBase {
    @Suspendable
    static int work(int x) {
      Pause.here();
      return x + THREE;
    }
  }

  @Suspendable
  static int callTriggeringSuperclassInit() {
    int local = 29;
    return InitOfSuperclass.work(10) + local;
  }

  @Test
  void aPlainSuperclassInitialiserThatSuspendsFailsNamingItself() {
    baseInitRuns.set(0);
    UninstrumentedFrameError e =
        assertThrows(
            UninstrumentedFrameError.class,
            () -> Fibers.call(ClassInitialisationShapeTest::callTriggeringSuperclassInit));
    assertTrue(
        e.getMessage().contains("PlainBase.<clinit>"),
        () -> "the message should name the initialiser: " + e.getMessage());
    assertEquals(1, baseInitRuns.get(), "the initialiser ran more than once");
  }
}
