package dev.weft.core;

import static dev.weft.core.ParkerTest.atProcs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Channel;
import dev.weft.WaitGroup;
import dev.weft.Weft;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Weft.sleep and Weft.after: timers on the scheduler's heap, no thread per sleeper. */
class TimersTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void sleepersWakeInDeadlineOrder(int procs) {
    atProcs(
        procs,
        () -> {
          List<Integer> order = Collections.synchronizedList(new ArrayList<>());
          Weft.run(
              () -> {
                WaitGroup wg = new WaitGroup();
                int[] millis = {60, 20, 40, 0};
                wg.add(millis.length);
                // Deadlines from one start, well ahead: how late each fiber begins its sleep (a
                // loaded machine) does not reorder them, unless it begins past its deadline.
                long start = System.nanoTime() + Duration.ofMillis(300).toNanos();
                for (int ms : millis) {
                  Weft.go(
                      () -> {
                        Weft.sleep(Duration.ofNanos(start + ms * 1_000_000L - System.nanoTime()));
                        order.add(ms);
                        wg.done();
                      });
                }
                wg.await();
              });
          assertEquals(List.of(0, 20, 40, 60), order);
        });
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void aSleepingFiberLeavesItsWorkerToOthers(int procs) {
    atProcs(
        procs,
        () ->
            Weft.run(
                () -> {
                  Channel<String> ch = Channel.make(10);
                  java.util.concurrent.atomic.AtomicBoolean ran =
                      new java.util.concurrent.atomic.AtomicBoolean();
                  Weft.go(
                      () -> {
                        // Sleeps until the runner has run: at procs=1 only if sleeping frees the
                        // worker. A condition, not a duration that a loaded machine may outlast.
                        while (!ran.get()) {
                          Weft.sleep(1);
                        }
                        ch.send("sleeper");
                      });
                  Weft.go(
                      () -> {
                        ch.send("runner");
                        ran.set(true);
                      });
                  assertEquals("runner", ch.receive());
                  assertEquals("sleeper", ch.receive());
                }));
  }

  @Test
  void sleepLastsAtLeastTheDuration() {
    assertTimeoutPreemptively(
        ParkerTest.HANG_GUARD,
        () -> {
          long inFiber =
              Weft.call(
                  () -> {
                    long t0 = System.nanoTime();
                    Weft.sleep(Duration.ofMillis(15));
                    return System.nanoTime() - t0;
                  });
          assertTrue(inFiber >= 15_000_000L, "slept only " + inFiber + " ns");
          long t0 = System.nanoTime();
          Weft.sleep(15); // a plain thread: Thread.sleep
          long onThread = System.nanoTime() - t0;
          assertTrue(onThread >= 15_000_000L, "slept only " + onThread + " ns");
        });
  }

  @Test
  void zeroAndNegativeSleepsReturnAtOnce() {
    assertTimeoutPreemptively(
        ParkerTest.HANG_GUARD,
        () -> {
          Weft.sleep(0);
          Weft.sleep(-5);
          Weft.sleep(Duration.ofSeconds(-1));
          Weft.run(
              () -> {
                Weft.sleep(0);
                Weft.sleep(Duration.ZERO);
              });
        });
  }

  @Test
  void aPlainThreadsSleepIsNotCutShortByAnInterruptButKeepsIt() {
    assertTimeoutPreemptively(
        ParkerTest.HANG_GUARD,
        () -> {
          Thread.currentThread().interrupt();
          long t0 = System.nanoTime();
          Weft.sleep(10);
          long slept = System.nanoTime() - t0;
          assertTrue(Thread.interrupted(), "the interrupt status must be kept");
          assertTrue(slept >= 10_000_000L, "slept only " + slept + " ns");
        });
  }

  @Test
  void nullDurationsAreRejected() {
    assertThrows(NullPointerException.class, () -> Weft.sleep(null));
    assertThrows(NullPointerException.class, () -> Weft.after(null));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void afterDeliversTheTimeOnceOnABufferedChannel(int procs) {
    atProcs(
        procs,
        () ->
            Weft.run(
                () -> {
                  Instant before = Instant.now();
                  long t0 = System.nanoTime();
                  Channel<Instant> timeout = Weft.after(Duration.ofMillis(20));
                  assertEquals(1, timeout.cap());
                  assertNull(timeout.tryReceive());
                  Instant fired = timeout.receive();
                  assertTrue(System.nanoTime() - t0 >= 20_000_000L);
                  assertNotNull(fired);
                  assertTrue(!fired.isBefore(before), fired + " before " + before);
                  assertNull(timeout.tryReceive(), "after() sends once");
                }));
  }

  @Test
  void afterFiresWithNobodyReceivingAndKeepsTheValue() {
    assertTimeoutPreemptively(
        ParkerTest.HANG_GUARD,
        () -> {
          Channel<Instant> early = Weft.after(Duration.ofMillis(5));
          Weft.run(() -> Weft.sleep(30)); // the timer fires while nobody receives
          assertNotNull(early.tryReceive());
        });
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void afterAndSleepAgreeOnOrder(int procs) {
    atProcs(
        procs,
        () ->
            Weft.run(
                () -> {
                  Channel<Instant> soon = Weft.after(Duration.ofMillis(10));
                  Channel<Instant> late = Weft.after(Duration.ofMillis(200));
                  Weft.sleep(40);
                  assertNotNull(soon.tryReceive(), "a 10 ms timer must have fired after 40 ms");
                  assertNull(late.tryReceive(), "a 200 ms timer fired after 40 ms");
                  assertNotNull(late.receive());
                }));
  }

  @Test
  void anAfterChannelClosedBeforeItFiresIsLeftAlone() {
    assertTimeoutPreemptively(
        ParkerTest.HANG_GUARD,
        () -> {
          Thread.UncaughtExceptionHandler old = Thread.getDefaultUncaughtExceptionHandler();
          java.util.concurrent.atomic.AtomicReference<Throwable> reported =
              new java.util.concurrent.atomic.AtomicReference<>();
          Thread.setDefaultUncaughtExceptionHandler((t, e) -> reported.set(e));
          try {
            Channel<Instant> ch = Weft.after(Duration.ofMillis(1));
            ch.close();
            Channel<Instant> later = Weft.after(Duration.ofMillis(20));
            assertNotNull(later.receive()); // the first timer has fired by now
            assertNull(reported.get(), String.valueOf(reported.get()));
          } finally {
            Thread.setDefaultUncaughtExceptionHandler(old);
          }
        });
  }

  @Test
  void afterWorksFromAPlainThreadWithoutAnyFiber() {
    assertTimeoutPreemptively(
        ParkerTest.HANG_GUARD, () -> assertNotNull(Weft.after(Duration.ofMillis(1)).receive()));
  }
}
