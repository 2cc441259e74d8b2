package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.Weft;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The waiting primitive: permit semantics on fibers and plain threads, timeouts, scale. */
class ParkerTest {
  static final Duration HANG_GUARD = Duration.ofSeconds(30);

  static void atProcs(int procs, org.junit.jupiter.api.function.Executable body) {
    int before = Weft.setMaxProcs(procs);
    try {
      assertTimeoutPreemptively(HANG_GUARD, body);
    } finally {
      Weft.setMaxProcs(before);
    }
  }

  @Test
  void aPlainThreadsParkerIsCachedAndNotAFiber() {
    Parker p = Parker.current();
    assertSame(p, Parker.current());
    assertFalse(p.isFiber());
    assertEquals(null, p.fiber());
  }

  @Test
  void aFiberIsItsOwnParkerSoAParkedFiberCostsNoParkerObject() {
    atProcs(
        1,
        () ->
            Weft.run(
                () -> {
                  Fiber f = Fiber.current();
                  Parker p = Parker.current();
                  assertSame(f, p);
                  assertTrue(p.isFiber());
                  assertSame(f, p.fiber());
                }));
  }

  @Test
  void anUnparkBeforeTheParkIsKeptOnAPlainThread() {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          Parker p = Parker.current();
          p.unpark();
          p.unpark(); // permits do not add up
          p.park("first"); // returns at once
          assertFalse(p.parkNanos("second", 1_000_000)); // only one permit: times out
        });
  }

  @Test
  void aPlainThreadParksUntilUnparkedFromAnotherThread() throws Exception {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          Parker p = Parker.current();
          AtomicBoolean flag = new AtomicBoolean();
          Thread t =
              new Thread(
                  () -> {
                    flag.set(true);
                    p.unpark();
                  });
          t.start();
          while (!flag.get()) {
            p.park(this);
          }
          t.join();
        });
  }

  @Test
  void aPlainThreadsParkKeepsItsInterruptStatus() {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          Parker p = Parker.current();
          Thread.currentThread().interrupt();
          p.unpark();
          p.park(this);
          assertTrue(Thread.interrupted());
          Thread.currentThread().interrupt();
          assertFalse(p.parkNanos(this, 1_000_000)); // an interrupt does not end the wait early
          assertTrue(Thread.interrupted());
        });
  }

  @Test
  void onlyTheOwnerMayPark() throws Exception {
    Parker mine = Parker.current();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                mine.park(this);
              } catch (Throwable e) {
                thrown.set(e);
              }
            });
    t.start();
    t.join();
    assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void aFiberParksUntilAnotherFiberUnparksIt(int procs) {
    atProcs(
        procs,
        () ->
            Weft.run(
                () -> {
                  Parker main = Parker.current();
                  assertTrue(main.isFiber());
                  assertSame(main, Parker.current());
                  AtomicBoolean done = new AtomicBoolean();
                  Weft.go(
                      () -> {
                        done.set(true);
                        main.unpark();
                      });
                  while (!done.get()) {
                    main.park("waiting for the other fiber");
                  }
                }));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void aPlainThreadCanWakeAParkedFiber(int procs) {
    atProcs(
        procs,
        () -> {
          AtomicReference<Parker> fiberParker = new AtomicReference<>();
          AtomicBoolean released = new AtomicBoolean();
          CountDownLatch finished = new CountDownLatch(1);
          Weft.go(
              () -> {
                fiberParker.set(Parker.current());
                while (!released.get()) {
                  Parker.current().park("plain thread");
                }
                finished.countDown();
              });
          while (fiberParker.get() == null) {
            Thread.onSpinWait();
          }
          released.set(true);
          fiberParker.get().unpark();
          finished.await();
        });
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void anUnparkBeforeTheParkIsKeptOnAFiber(int procs) {
    atProcs(
        procs,
        () ->
            Weft.run(
                () -> {
                  Parker p = Parker.current();
                  p.unpark();
                  p.unpark();
                  p.park("has a permit"); // returns at once
                  assertTrue(p.parkNanos("permit used up", 0) == false);
                  p.unpark();
                  assertTrue(p.parkNanos("permit again", 0));
                }));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void parkNanosTimesOutOnAFiberAndOthersRunMeanwhile(int procs) {
    atProcs(
        procs,
        () ->
            Weft.run(
                () -> {
                  AtomicInteger ticks = new AtomicInteger();
                  AtomicBoolean stop = new AtomicBoolean();
                  Weft.go(
                      () -> {
                        while (!stop.get()) {
                          ticks.incrementAndGet();
                          Weft.gosched();
                        }
                      });
                  long t0 = System.nanoTime();
                  boolean woken = Parker.current().parkNanos("timeout", 20_000_000L);
                  long waited = System.nanoTime() - t0;
                  stop.set(true);
                  assertFalse(woken);
                  assertTrue(waited >= 20_000_000L, "waited only " + waited + " ns");
                  assertTrue(ticks.get() > 0, "the worker ran nothing else while we waited");
                }));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void parkNanosReturnsTrueWhenUnparkedInTime(int procs) {
    atProcs(
        procs,
        () ->
            Weft.run(
                () -> {
                  Parker main = Parker.current();
                  AtomicBoolean done = new AtomicBoolean();
                  Weft.go(
                      () -> {
                        done.set(true);
                        main.unpark();
                      });
                  boolean woken = true;
                  while (!done.get()) {
                    woken = main.parkNanos("in time", 20_000_000_000L);
                  }
                  assertTrue(woken);
                  // The cancelled timer must not leave a permit behind for a later park.
                  assertFalse(main.parkNanos("no stray permit", 5_000_000L));
                }));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void aHundredThousandFibersParkThenAllAreReleased(int procs) {
    atProcs(
        procs,
        () -> {
          int n = 100_000;
          int before = Weft.numFibers();
          Parker[] parkers = new Parker[n];
          AtomicInteger parked = new AtomicInteger();
          AtomicInteger finished = new AtomicInteger();
          AtomicBoolean go = new AtomicBoolean();
          Weft.run(
              () -> {
                Parker main = Parker.current();
                for (int i = 0; i < n; i++) {
                  int k = i;
                  Weft.go(
                      () -> {
                        parkers[k] = Parker.current();
                        if (parked.incrementAndGet() == n) {
                          main.unpark();
                        }
                        while (!go.get()) {
                          parkers[k].park("the starting gun");
                        }
                        if (finished.incrementAndGet() == n) {
                          main.unpark();
                        }
                      });
                }
                while (parked.get() < n) {
                  main.park("all parked");
                }
                assertEquals(before + n + 1, Weft.numFibers());
                go.set(true);
                for (Parker p : parkers) {
                  p.unpark();
                }
                while (finished.get() < n) {
                  main.park("all finished");
                }
              });
          assertEquals(n, finished.get());
          WeftAwait.until(() -> Weft.numFibers() == before);
        });
  }

  @Test
  void parkingFromAnUninstrumentedFrameFailsBeforeCommitting() {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          Throwable thrown =
              Weft.call(
                  () -> {
                    try {
                      Runnable r = () -> parkFromSuspendable(); // Runnable.run is not suspendable
                      r.run();
                      return null;
                    } catch (Throwable t) {
                      return t;
                    }
                  });
          assertTrue(
              thrown instanceof dev.weft.frame.UninstrumentedFrameError, String.valueOf(thrown));
          // The fiber was never committed to park: a later park with a permit returns at once.
          Weft.run(
              () -> {
                Parker.current().unpark();
                Parker.current().park("fine");
              });
        });
  }

  @Suspendable
  static void parkFromSuspendable() {
    Parker.current().park("should fail");
  }

  @Test
  void aFiberMayNotParkAnotherFibersParker() {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          AtomicReference<Parker> first = new AtomicReference<>();
          Weft.run(() -> first.set(Parker.current()));
          IllegalStateException e =
              assertThrows(
                  IllegalStateException.class, () -> Weft.run(() -> first.get().park("x")));
          assertTrue(e.getMessage().contains("Parker.current()"), e.getMessage());
        });
  }
}
