package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Weft facade: run, call, go, numFibers, gosched, setMaxProcs, inFiber, dumps. */
class WeftTest {
  static final Duration HANG_GUARD = Duration.ofSeconds(30);

  /** Runs {@code body} at maxprocs {@code procs} under a hang guard, then restores maxprocs. */
  static void atProcs(int procs, org.junit.jupiter.api.function.Executable body) {
    int before = Weft.setMaxProcs(procs);
    try {
      assertTimeoutPreemptively(HANG_GUARD, body);
    } finally {
      Weft.setMaxProcs(before);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void callReturnsTheMainFibersResult(int procs) {
    atProcs(procs, () -> assertEquals(42, Weft.call(() -> 6 * 7)));
  }

  @Test
  void runExecutesMainInAFiber() {
    AtomicInteger seen = new AtomicInteger();
    assertFalse(Weft.inFiber());
    Weft.run(() -> seen.set(Weft.inFiber() ? 1 : 2));
    assertEquals(1, seen.get());
  }

  @Test
  void uncheckedExceptionsAreRethrownAsTheyAre() {
    IllegalStateException boom = new IllegalStateException("boom");
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                Weft.run(
                    () -> {
                      throw boom;
                    }));
    assertSame(boom, thrown);
    AssertionError error = new AssertionError("bad");
    assertSame(
        error,
        assertThrows(
            AssertionError.class,
            () ->
                Weft.call(
                    () -> {
                      throw error;
                    })));
  }

  @Test
  void checkedExceptionsArriveWrappedInCompletionException() {
    IOException io = new IOException("disk");
    CompletionException thrown =
        assertThrows(
            CompletionException.class,
            () ->
                Weft.run(
                    () -> {
                      throw io;
                    }));
    assertSame(io, thrown.getCause());
  }

  @Test
  void nullBodiesAreRejectedWithAClearMessage() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> Weft.run(null));
    assertTrue(e.getMessage().contains("Weft.run"), e.getMessage());
    assertThrows(NullPointerException.class, () -> Weft.call(null));
    assertThrows(NullPointerException.class, () -> Weft.go(null));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void exceptionsAfterASuspensionStillReachTheCaller(int procs) {
    atProcs(
        procs,
        () -> {
          UnsupportedOperationException e =
              assertThrows(
                  UnsupportedOperationException.class,
                  () ->
                      Weft.run(
                          () -> {
                            Weft.gosched();
                            Weft.sleep(1);
                            throw new UnsupportedOperationException("late");
                          }));
          assertEquals("late", e.getMessage());
        });
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void severalPlainThreadsMayRunMainsAtOnce(int procs) {
    atProcs(
        procs,
        () -> {
          int threads = 4;
          List<Thread> ts = new ArrayList<>();
          List<Integer> results = Collections.synchronizedList(new ArrayList<>());
          CountDownLatch start = new CountDownLatch(1);
          for (int i = 0; i < threads; i++) {
            int k = i;
            Thread t =
                new Thread(
                    () -> {
                      try {
                        start.await();
                      } catch (InterruptedException e) {
                        throw new AssertionError(e);
                      }
                      results.add(
                          Weft.call(
                              () -> {
                                int sum = 0;
                                for (int j = 0; j < 100; j++) {
                                  Weft.gosched();
                                  sum += k;
                                }
                                return sum;
                              }));
                    });
            t.start();
            ts.add(t);
          }
          start.countDown();
          for (Thread t : ts) {
            t.join();
          }
          Collections.sort(results);
          assertEquals(List.of(0, 100, 200, 300), results);
        });
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void goStartsFibersThatNumFibersCounts(int procs) {
    atProcs(
        procs,
        () -> {
          int before = Weft.numFibers();
          int n = 50;
          Weft.run(
              () -> {
                // main itself counts
                assertTrue(Weft.numFibers() >= before + 1);
                Channel<Integer> release = Channel.make();
                Channel<Integer> started = Channel.make(n);
                for (int i = 0; i < n; i++) {
                  Weft.go(
                      () -> {
                        started.send(1);
                        release.receive();
                      });
                }
                for (int i = 0; i < n; i++) {
                  started.receive();
                }
                assertEquals(before + 1 + n, Weft.numFibers());
                release.close();
              });
          // The go fibers end shortly after the close; main has already left the registry.
          waitUntil(() -> Weft.numFibers() == before);
          assertEquals(before, Weft.numFibers());
        });
  }

  @Test
  void goFromAPlainThreadRunsTheTask() throws InterruptedException {
    CountDownLatch ran = new CountDownLatch(1);
    AtomicInteger inFiber = new AtomicInteger();
    Weft.go(
        () -> {
          inFiber.set(Weft.inFiber() ? 1 : 2);
          ran.countDown();
        });
    assertTimeoutPreemptively(HANG_GUARD, () -> ran.await());
    assertEquals(1, inFiber.get());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void goschedInterleavesFibersAtOneProc(int procs) {
    atProcs(
        procs,
        () -> {
          StringBuffer order = new StringBuffer();
          Weft.run(
              () -> {
                WaitGroup wg = new WaitGroup();
                wg.add(2);
                for (String name : new String[] {"a", "b"}) {
                  Weft.go(
                      () -> {
                        for (int i = 0; i < 5; i++) {
                          order.append(name);
                          Weft.gosched();
                        }
                        wg.done();
                      });
                }
                wg.await();
              });
          String s = order.toString();
          assertEquals(10, s.length());
          if (procs == 1) {
            // With one worker, each gosched hands the worker to the other fiber.
            assertTrue(s.equals("ababababab") || s.equals("bababababa"), s);
          }
        });
  }

  @Test
  void goschedOnAPlainThreadJustYields() {
    Weft.gosched();
  }

  @Test
  void setMaxProcsReturnsThePreviousValueAndQueriesBelowOne() {
    int original = Weft.maxProcs();
    try {
      int before = Weft.setMaxProcs(3);
      assertEquals(original, before);
      assertEquals(3, Weft.maxProcs());
      assertEquals(3, Weft.setMaxProcs(0));
      assertEquals(3, Weft.setMaxProcs(-5));
      assertEquals(3, Weft.setMaxProcs(1));
      assertEquals(1, Weft.maxProcs());
    } finally {
      Weft.setMaxProcs(original);
    }
  }

  @Test
  void setMaxProcsRejectsAbsurdValues() {
    int original = Weft.maxProcs();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Weft.setMaxProcs(1_000_000));
    assertTrue(e.getMessage().contains("10000"), e.getMessage());
    assertEquals(original, Weft.maxProcs());
  }

  @Test
  void setMaxProcsTakesEffectWhileFibersRun() {
    atProcs(
        1,
        () -> {
          // Two fibers that each wait for the other to be running at the same time can only
          // finish once a second worker exists.
          AtomicInteger running = new AtomicInteger();
          Weft.run(
              () -> {
                WaitGroup wg = new WaitGroup();
                wg.add(2);
                for (int i = 0; i < 2; i++) {
                  Weft.go(
                      () -> {
                        running.incrementAndGet();
                        while (running.get() < 2) {
                          Thread.onSpinWait(); // computes, never yields: needs its own worker
                        }
                        wg.done();
                      });
                }
                Weft.setMaxProcs(2);
                wg.await();
              });
          assertEquals(2, running.get());
        });
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void aFiberMayCallWeftRunAndWaitsForIt(int procs) {
    atProcs(
        procs,
        () -> {
          int result =
              Weft.call(
                  () -> {
                    Channel<Integer> ch = Channel.make();
                    Weft.go(() -> ch.send(20));
                    int inner =
                        Weft.call(
                            () -> {
                              assertTrue(Weft.inFiber());
                              Weft.sleep(2);
                              return 22;
                            });
                    return inner + ch.receive();
                  });
          assertEquals(42, result);
          IllegalStateException e =
              assertThrows(
                  IllegalStateException.class,
                  () ->
                      Weft.run(
                          () ->
                              Weft.run(
                                  () -> {
                                    throw new IllegalStateException("inner");
                                  })));
          assertEquals("inner", e.getMessage());
        });
  }

  @Test
  void dumpFibersListsAParkedFiberWithItsBlockerAndSite() {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () ->
            Weft.run(
                () -> {
                  Channel<String> never = Channel.make();
                  Weft.go(() -> parkedHere(never));
                  String dump = Weft.dumpFibers();
                  while (!dump.contains("WeftTest.parkedHere(WeftTest.java")) {
                    Weft.gosched(); // until the other fiber has parked
                    dump = Weft.dumpFibers();
                  }
                  assertTrue(dump.contains("parked on"), dump);
                  assertTrue(dump.contains("running on weft-worker-"), dump);
                  assertTrue(dump.contains("WeftTest.lambda$"), dump); // main's own stack
                  never.close();
                }));
  }

  @Suspendable
  static void parkedHere(Channel<String> never) {
    never.receive();
  }

  @Test
  void dumpFibersPrintsToAStream() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    Weft.dumpFibers(new java.io.PrintStream(out, true));
    assertNotNull(out.toString());
    assertTrue(out.size() > 0);
  }

  @Test
  void uncaughtExceptionsOfGoFibersGoToTheDefaultHandler() {
    Thread.UncaughtExceptionHandler old = Thread.getDefaultUncaughtExceptionHandler();
    List<Throwable> caught = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch handled = new CountDownLatch(1);
    Thread.setDefaultUncaughtExceptionHandler(
        (t, e) -> {
          threads.add(t);
          caught.add(e);
          handled.countDown();
        });
    try {
      assertTimeoutPreemptively(
          HANG_GUARD,
          () -> {
            RuntimeException boom = new RuntimeException("escaped");
            int after =
                Weft.call(
                    () -> {
                      Weft.go(
                          () -> {
                            Weft.gosched();
                            throw boom;
                          });
                      Weft.sleep(1);
                      return 7; // main goes on
                    });
            assertEquals(7, after);
            handled.await();
            assertSame(boom, caught.get(0));
            assertTrue(threads.get(0).getName().startsWith("weft-worker-"), threads.get(0).getName());
          });
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(old);
    }
  }

  @Test
  void uncaughtExceptionsArePrintedWithoutAHandler() throws Exception {
    Thread.UncaughtExceptionHandler old = Thread.getDefaultUncaughtExceptionHandler();
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    Thread.setDefaultUncaughtExceptionHandler(null);
    System.setErr(new java.io.PrintStream(captured, true));
    try {
      assertTimeoutPreemptively(
          HANG_GUARD,
          () -> {
            Weft.go(
                () -> {
                  throw new IllegalArgumentException("printed like a thread's");
                });
            waitUntil(() -> captured.toString().contains("printed like a thread's"));
          });
    } finally {
      System.setErr(err);
      Thread.setDefaultUncaughtExceptionHandler(old);
    }
    String text = captured.toString();
    assertTrue(text.contains("Exception in fiber \"fiber-"), text);
    assertTrue(text.contains("java.lang.IllegalArgumentException: printed like a thread's"), text);
  }

  /** Polls a condition that another thread will make true; no sleep-and-hope: yields only. */
  static void waitUntil(java.util.function.BooleanSupplier condition) {
    while (!condition.getAsBoolean()) {
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
