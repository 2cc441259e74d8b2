package dev.weft.core;

import static dev.weft.core.ParkerTest.atProcs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.Weft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fiber's timed parks re-use one timer while they time out (see {@link TimedWake}): a sleep loop
 * allocates nothing per sleep, and a park ended by an unpark, whose timer may still wait in its
 * heap, never lends that timer to a later park.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimedWakeReuseTest {

  @Test
  void aSleepLoopAllocatesNothingPerSleep() {
    // Stress yields (a checking mode of the suite) allocate on every drawn yield by design.
    assumeTrue(System.getProperty("weft.stress.yield") == null, "not under stress yields");
    int sleeps = 2_000;
    long[] perSleep = new long[1];
    atProcs(
        1,
        () ->
            Weft.run(
                () -> {
                  Duration d = Duration.ofNanos(20_000);
                  for (int i = 0; i < 500; i++) {
                    Weft.sleep(d); // warm-up: first timer, classes, JIT
                  }
                  long before = WorkerAllocations.bytes();
                  for (int i = 0; i < sleeps; i++) {
                    Weft.sleep(d);
                  }
                  perSleep[0] = (WorkerAllocations.bytes() - before) / sleeps;
                }));
    // A timer per sleep would be 40 bytes; the two readings themselves are a few hundred in all.
    assertTrue(perSleep[0] < 8, perSleep[0] + " bytes allocated per sleep");
  }

  @Test
  void aTimedParkEndedByAnUnparkLendsItsTimerToNoLaterPark() throws Exception {
    AtomicReference<Fiber> fiber = new AtomicReference<>();
    AtomicReference<Throwable> helperFailure = new AtomicReference<>();
    List<Boolean> results = new ArrayList<>();
    List<Object> blockersSeen = new ArrayList<>();
    Thread helper =
        new Thread(
            () -> {
              try {
                Fiber f = FiberStates.awaitPublished(fiber);
                for (String b : new String[] {"second, an hour", "fifth, an hour"}) {
                  FiberStates.awaitParkedOn(f, b);
                  f.unpark();
                }
              } catch (Throwable t) {
                helperFailure.set(t);
              }
            });
    helper.start();
    atProcs(
        1,
        () ->
            Weft.run(
                () -> {
                  Fiber me = Fiber.current();
                  Parker p = Parker.current();
                  fiber.set(me);
                  long hour = TimeUnit.HOURS.toNanos(1);
                  long ms = TimeUnit.MILLISECONDS.toNanos(1);
                  results.add(p.parkNanos("first, 1 ms", ms)); // times out: keeps its timer
                  blockersSeen.add(me.blocker());
                  results.add(p.parkNanos("second, an hour", hour)); // re-uses it; unparked
                  blockersSeen.add(me.blocker());
                  // Its timer is cancelled, still in the heap: these need a new one, then re-use it.
                  results.add(p.parkNanos("third, 1 ms", ms));
                  results.add(p.parkNanos("fourth, 1 ms", ms));
                  blockersSeen.add(me.blocker());
                  results.add(p.parkNanos("fifth, an hour", hour));
                  long t0 = System.nanoTime();
                  Weft.sleep(1);
                  results.add(System.nanoTime() - t0 >= ms);
                }));
    helper.join(TimeUnit.SECONDS.toMillis(30));
    assertNull(helperFailure.get(), () -> "helper failed: " + helperFailure.get());
    assertEquals(List.of(false, true, false, false, true, true), results);
    assertEquals(List.of("first, 1 ms", "second, an hour", "fourth, 1 ms"), blockersSeen);
    assertFalse(helper.isAlive());
  }

  @Test
  void aReArmedTimerFiresAgainAndAnUnusedOneStaysOutOfTheHeap() {
    TimerHeap h = new TimerHeap();
    Fiber f = new Fiber(() -> {});
    TimedWake t = new TimedWake(f);
    t.rearm(100);
    h.add(t);
    assertTrue(h.runDue(100));
    assertEquals(Timer.FIRED, t.state());
    t.rearm(200);
    assertEquals(Timer.NEW, t.state());
    h.add(t);
    assertEquals(1, h.size());
    assertTrue(t.cancel());
    assertFalse(h.runDue(300));
    assertEquals(0, h.size());
  }
}
