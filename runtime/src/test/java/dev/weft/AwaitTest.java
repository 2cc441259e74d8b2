package dev.weft;

import static dev.weft.WeftTest.atProcs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.frame.FrameStack;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Weft.await: a fiber suspends, holding no worker, until a CompletionStage completes. */
class AwaitTest {
  private static final String AWAITING = "[parked on await CompletionStage ";

  @Test
  void anAlreadyCompletedStageReturnsWithoutSuspending() {
    atProcs(
        1,
        () ->
            Weft.run(
                () -> {
                  AtomicBoolean otherRan = new AtomicBoolean();
                  // At maxprocs 1 this fiber runs only once main leaves the worker.
                  Weft.go(() -> otherRan.set(true));
                  assertEquals(42, Weft.await(CompletableFuture.completedFuture(42)));
                  assertNull(Weft.await(CompletableFuture.completedFuture(null)));
                  CompletionStage<String> minimal = CompletableFuture.completedStage("minimal");
                  assertEquals("minimal", Weft.await(minimal));
                  // Under -Dweft.stress.yield any suspendable call may yield first, await too:
                  // only without it does "the other fiber has not run" show that await did not
                  // suspend.
                  if (!FrameStack.STRESS_YIELD) {
                    assertFalse(otherRan.get(), "await of a completed stage suspended");
                  }
                }));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void aStageCompletedLaterByAPlainThreadWakesTheFiber(int procs) {
    atProcs(
        procs,
        () -> {
          CompletableFuture<String> cf = new CompletableFuture<>();
          List<String> dumps = new ArrayList<>();
          Thread completer =
              new Thread(
                  () -> {
                    // The frames, not only the blocker: a dump taken while the fiber still saves its
                    // frames shows what it awaits but not yet where.
                    dumps.add(
                        waitForDump(
                            d -> d.contains(AWAITING + describe(cf) + "]") && d.contains("AwaitTest")));
                    cf.complete("from a thread");
                  });
          completer.start();
          assertEquals("from a thread", Weft.call(() -> Weft.await(cf)));
          completer.join();
          assertTrue(dumps.get(0).contains("AwaitTest"), dumps.get(0)); // where it awaits
        });
  }

  @Test
  void aStageCompletedByAnotherFiberWakesTheFiber() {
    atProcs(
        1,
        () ->
            assertEquals(
                "from a fiber",
                Weft.call(
                    () -> {
                      CompletableFuture<String> cf = new CompletableFuture<>();
                      // At maxprocs 1 it runs only once main has suspended in await.
                      Weft.go(() -> cf.complete("from a fiber"));
                      return Weft.await(cf.thenApply(s -> s));
                    })));
  }

  @Test
  void failuresAreReportedExactlyAsJoinReportsThem() {
    atProcs(
        2,
        () -> {
          IOException io = new IOException("disk");
          CompletableFuture<String> failed = new CompletableFuture<>();
          Thread completer =
              new Thread(
                  () -> {
                    waitForDump(d -> d.contains(AWAITING + describe(failed) + "]"));
                    failed.completeExceptionally(io);
                  });
          completer.start();
          CompletionException e =
              Weft.call(() -> assertThrowsInFiber(CompletionException.class, failed));
          completer.join();
          assertSame(io, e.getCause());
          assertSame(io, assertThrows(CompletionException.class, failed::join).getCause());

          // A dependent stage's failure is a CompletionException already: thrown as it is.
          CompletableFuture<Integer> source = new CompletableFuture<>();
          CompletableFuture<Integer> dependent =
              source.thenApply(
                  x -> {
                    throw new ArithmeticException("dependent");
                  });
          source.complete(1);
          CompletionException viaJoin = assertThrows(CompletionException.class, dependent::join);
          CompletionException viaAwait =
              Weft.call(() -> assertThrowsInFiber(CompletionException.class, dependent));
          assertSame(viaJoin, viaAwait);
          assertEquals(ArithmeticException.class, viaAwait.getCause().getClass());

          // Errors too are wrapped, as join wraps them.
          AssertionError error = new AssertionError("error");
          CompletionException wrapped =
              Weft.call(
                  () ->
                      assertThrowsInFiber(
                          CompletionException.class, CompletableFuture.failedFuture(error)));
          assertSame(error, wrapped.getCause());
        });
  }

  @Test
  void aCancelledStageThrowsCancellationException() {
    atProcs(
        2,
        () -> {
          CompletableFuture<String> cf = new CompletableFuture<>();
          Thread canceller =
              new Thread(
                  () -> {
                    waitForDump(d -> d.contains(AWAITING + describe(cf) + "]"));
                    cf.cancel(true);
                  });
          canceller.start();
          CancellationException e =
              Weft.call(() -> assertThrowsInFiber(CancellationException.class, cf));
          canceller.join();
          assertTrue(cf.isCancelled());
          assertEquals(CancellationException.class, e.getClass());
          // Already cancelled: the same, without a wait.
          CompletableFuture<String> early = new CompletableFuture<>();
          early.cancel(false);
          Weft.call(() -> assertThrowsInFiber(CancellationException.class, early));
        });
  }

  /**
   * Many fibers awaiting at once on one worker: each is parked (not pinned, which would hold the
   * worker), and all wake when their stages complete, in any order, from a plain thread.
   */
  @Test
  void manyFibersAwaitAtOnceWithoutHoldingTheWorker() {
    int n = 300;
    atProcs(
        1,
        () -> {
          List<CompletableFuture<Integer>> stages = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            stages.add(new CompletableFuture<>());
          }
          long sum =
              Weft.call(
                  () -> {
                    Channel<Integer> results = Channel.make(n);
                    for (int i = 0; i < n; i++) {
                      CompletableFuture<Integer> stage = stages.get(i);
                      Weft.go(() -> results.send(Weft.await(stage) * 2));
                    }
                    String dump;
                    while (count(dump = Weft.dumpFibers(), AWAITING) < n) {
                      Weft.sleep(1);
                    }
                    assertFalse(dump.contains(", on await CompletionStage"), dump); // pinned
                    Thread completer =
                        new Thread(
                            () -> {
                              for (int i = n - 1; i >= 0; i--) {
                                stages.get(i).complete(i);
                              }
                            });
                    completer.start();
                    long s = 0;
                    for (int i = 0; i < n; i++) {
                      s += results.receive();
                    }
                    completer.join();
                    return s;
                  });
          assertEquals((long) n * (n - 1), sum);
        });
  }

  @Test
  void aPlainThreadBlocksAsJoinDoes() {
    assertTimeoutPreemptively(
        WeftTest.HANG_GUARD,
        () -> {
          assertEquals("done", Weft.await(CompletableFuture.completedFuture("done")));
          Thread caller = Thread.currentThread();
          CompletableFuture<String> cf = new CompletableFuture<>();
          Thread completer =
              new Thread(
                  () -> {
                    long giveUp = System.nanoTime() + WeftTest.HANG_GUARD.toNanos();
                    while (caller.getState() != Thread.State.WAITING
                        && System.nanoTime() < giveUp) {
                      Thread.onSpinWait();
                    }
                    cf.complete("later");
                  });
          completer.start();
          assertFalse(Weft.inFiber());
          assertEquals("later", Weft.await(cf));
          completer.join();
          IOException io = new IOException("plain");
          CompletionException e =
              assertThrows(
                  CompletionException.class,
                  () -> Weft.await(CompletableFuture.failedFuture(io)));
          assertSame(io, e.getCause());
        });
  }

  @Test
  void nullIsRejected() {
    assertThrows(NullPointerException.class, () -> Weft.await(null));
  }

  /** Awaits {@code stage} in the calling fiber and returns what it threw, which must be a T. */
  @Suspendable
  private static <T extends Throwable> T assertThrowsInFiber(
      Class<T> expected, CompletionStage<?> stage) {
    try {
      Object v = Weft.await(stage);
      throw new AssertionError("expected " + expected.getName() + ", got the value " + v);
    } catch (Throwable t) {
      if (!expected.isInstance(t)) {
        throw new AssertionError("expected " + expected.getName() + ", got " + t, t);
      }
      return expected.cast(t);
    }
  }

  private static String describe(Object stage) {
    return stage.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(stage));
  }

  /**
   * Polls the fiber dump until {@code ready} holds, and returns it; gives up after the hang guard,
   * so that a failed test leaves no thread spinning behind it.
   */
  private static String waitForDump(Predicate<String> ready) {
    long giveUp = System.nanoTime() + WeftTest.HANG_GUARD.toNanos();
    for (; ; ) {
      String dump = Weft.dumpFibers();
      if (ready.test(dump) || System.nanoTime() > giveUp) {
        return dump;
      }
      Thread.onSpinWait();
    }
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
