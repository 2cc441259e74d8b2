package dev.weft.core;

import static dev.weft.core.ParkerTest.atProcs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Weft;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fiber's timed parks reuse one {@link TimedWake} once it has fired, and only then: a cancelled
 * one may still sit in a heap, and a reused one must never end a park it was not armed for.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimedWakeReuseTest {

  /** The timer armed by the fiber's last timed park. */
  private static TimedWake armed(Fiber f) throws ReflectiveOperationException {
    java.lang.reflect.Field field = Fiber.class.getDeclaredField("timedWake");
    field.setAccessible(true);
    return (TimedWake) field.get(f);
  }

  @Test
  void aTimerThatFiredIsReusedAndOneThatWasCancelledIsNot() {
    atProcs(
        1,
        () -> {
          AtomicReference<String> failure = new AtomicReference<>();
          Weft.run(
              () -> {
                Fiber me = Fiber.current();
                Parker p = Parker.current();
                try {
                  assertFalse(p.parkNanos("first", 1_000_000), "timed out");
                  TimedWake first = armed(me);
                  assertTrue(first.isSpent(), "spent once it fired");
                  assertFalse(p.parkNanos("second", 1_000_000), "timed out");
                  assertSame(first, armed(me), "the spent timer is armed again");
                  assertEquals(0, Scheduler.get().timers.size(), "and is no longer waiting");
                  // Ended by an unpark: the timer is cancelled, left in its heap, never reused.
                  me.unpark(); // a permit: the next park returns at once, consuming it
                  assertTrue(p.parkNanos("permit", TimeUnit.HOURS.toNanos(1)));
                  Weft.go(me::unpark); // wakes us while our hour-long timer waits
                  assertTrue(p.parkNanos("woken", TimeUnit.HOURS.toNanos(1)), "woken by unpark");
                  TimedWake cancelled = armed(me);
                  assertEquals(Timer.CANCELLED, cancelled.state());
                  assertFalse(p.parkNanos("third", 1_000_000), "timed out");
                  assertNotSame(cancelled, armed(me), "a cancelled timer is not reused");
                  assertEquals(Timer.CANCELLED, cancelled.state(), "and stays cancelled");
                } catch (Throwable t) {
                  failure.set(String.valueOf(t));
                }
              });
          assertEquals(null, failure.get());
        });
  }

  @Test
  void aLateFiringOfAReusedTimerDoesNotEndTheParkItWasReArmedFor() throws Exception {
    // fire() reads the sequence number before it marks the timer spent; a firing that read the
    // old number (it lost to an unpark) and completes after the re-arm must not end the new park.
    atProcs(
        1,
        () -> {
          AtomicReference<String> failure = new AtomicReference<>();
          Weft.run(
              () -> {
                Fiber me = Fiber.current();
                Parker p = Parker.current();
                try {
                  assertFalse(p.parkNanos("first", 1_000_000), "timed out");
                  TimedWake t = armed(me);
                  int oldSeq = me.stateBits() & Fiber.SEQ_MASK;
                  // A helper plays the late firing: the old number, after the re-arm below.
                  Weft.go(
                      () -> {
                        me.timeoutWake(oldSeq); // ignored: another park
                        Weft.sleep(5); // then lets the re-armed timer end it normally
                      });
                  long start = System.nanoTime();
                  assertFalse(p.parkNanos("rearmed", 50_000_000), "ended by its own timer");
                  assertSame(t, armed(me), "re-armed");
                  assertTrue(
                      System.nanoTime() - start >= 50_000_000,
                      "the late firing of the old number did not end it early");
                } catch (Throwable x) {
                  failure.set(String.valueOf(x));
                }
              });
          assertEquals(null, failure.get());
        });
  }
}
