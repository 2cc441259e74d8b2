package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Weft;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A timer that fires after its park is over must not end a later park of the same fiber. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimedParkSequenceTest {
  private static final String TIMED = "timed park";
  private static final String UNTIMED = "untimed park";

  @Test
  void aLateTimerOfAnEarlierTimedParkDoesNotEndALaterUntimedPark() throws Exception {
    AtomicReference<Fiber> main = new AtomicReference<>();
    AtomicBoolean released = new AtomicBoolean();
    AtomicBoolean lateTimerEndedThePark = new AtomicBoolean();
    AtomicReference<Throwable> helperFailure = new AtomicReference<>();
    Thread helper =
        new Thread(
            () -> {
              try {
                Fiber f = FiberStates.awaitPublished(main);
                FiberStates.awaitParkedOn(f, TIMED);
                f.unpark(); // ends the timed park before its (hour-long) timer
                FiberStates.awaitParkedOn(f, UNTIMED);
                int seq = seqOfTimedPark.get();
                // The timer of the timed park fires now, late: as TimedWake.fire does.
                f.timeoutWake(seq);
                lateTimerEndedThePark.set((f.stateBits() & Fiber.STATE_MASK) != Fiber.PARKED);
              } catch (Throwable t) {
                helperFailure.set(t);
              } finally {
                released.set(true);
                Fiber f = main.get();
                if (f != null) {
                  f.unpark();
                }
              }
            });
    helper.start();
    Weft.run(
        () -> {
          Fiber me = Fiber.current();
          Parker p = Parker.current();
          main.set(me);
          assertTrue(p.parkNanos(TIMED, TimeUnit.HOURS.toNanos(1)), "woken by the unpark");
          seqOfTimedPark.set(me.stateBits() & Fiber.SEQ_MASK);
          while (!released.get()) {
            p.park(UNTIMED);
            if (!released.get()) {
              lateTimerEndedThePark.set(true);
              break;
            }
          }
        });
    helper.join();
    assertFalse(helperFailure.get() != null, () -> "helper failed: " + helperFailure.get());
    assertFalse(lateTimerEndedThePark.get(), "a stale timer ended an untimed park");
  }

  private final AtomicReference<Integer> seqOfTimedPark = new AtomicReference<>();
}
