package dev.weft;

import static dev.weft.SyncTestKit.atProcs;
import static dev.weft.SyncTestKit.awaitCondition;
import static dev.weft.SyncTestKit.joinAll;
import static dev.weft.SyncTestKit.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.SyncTestKit.Party;
import dev.weft.SyncTestKit.Side;
import dev.weft.frame.UninstrumentedFrameError;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Go's sync.WaitGroup, from fibers and plain threads. */
class WaitGroupTest {

  @Test
  void awaitOnZeroReturnsAtOnce() {
    WaitGroup wg = new WaitGroup();
    wg.await();
    wg.add(0);
    wg.await();
  }

  @ParameterizedTest(name = "maxprocs={0} waiters={1} workers={2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void everyWaiterIsReleasedWhenTheCounterReachesZero(int procs, Side waiters, Side workers) {
    atProcs(
        procs,
        () -> {
          WaitGroup wg = new WaitGroup();
          int pieces = 50;
          wg.add(pieces);
          AtomicInteger finished = new AtomicInteger();
          int[] seenByWaiter = new int[3];
          Party[] w = new Party[3];
          for (int i = 0; i < 3; i++) {
            int me = i;
            w[i] =
                start(
                    waiters,
                    () -> {
                      wg.await();
                      seenByWaiter[me] = finished.get();
                    });
          }
          awaitCondition(() -> wg.waitingAwaiters() == 3);
          Party[] work = new Party[pieces];
          for (int i = 0; i < pieces; i++) {
            work[i] =
                start(
                    i % 10 == 0 ? workers : Side.FIBER,
                    () -> {
                      finished.incrementAndGet();
                      wg.done();
                    });
          }
          joinAll(work);
          joinAll(w);
          for (int seen : seenByWaiter) {
            assertEquals(pieces, seen, "await returned before every done()");
          }
        });
  }

  @Test
  void goingBelowZeroThrowsAndLeavesTheCounterAsItWas() {
    WaitGroup wg = new WaitGroup();
    wg.add(2);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> wg.add(-3));
    assertTrue(e.getMessage().contains("below zero"), e.getMessage());
    wg.done();
    wg.done();
    wg.await(); // exactly two were outstanding
    assertThrows(IllegalStateException.class, wg::done);
    wg.await();
    wg.add(1);
    assertTrue(wg.toString().contains("counter=1"), wg.toString());
  }

  @Test
  void overflowingThrows() {
    WaitGroup wg = new WaitGroup();
    wg.add(Integer.MAX_VALUE);
    assertThrows(IllegalStateException.class, () -> wg.add(1));
    wg.add(-Integer.MAX_VALUE);
    wg.await();
  }

  @ParameterizedTest(name = "maxprocs={0} side={1}")
  @MethodSource("dev.weft.SyncTestKit#procsAndSide")
  void aWaitGroupCanBeReusedOnceItReachedZero(int procs, Side side) {
    atProcs(
        procs,
        () -> {
          WaitGroup wg = new WaitGroup();
          for (int round = 0; round < 20; round++) {
            wg.add(3);
            AtomicInteger count = new AtomicInteger();
            for (int i = 0; i < 3; i++) {
              start(
                  side,
                  () -> {
                    count.incrementAndGet();
                    wg.done();
                  });
            }
            Party waiter = start(Side.FIBER, wg::await);
            wg.await();
            waiter.join();
            assertEquals(3, count.get());
          }
        });
  }

  @ParameterizedTest(name = "maxprocs={0}")
  @ValueSource(ints = {1, 2})
  void thousandsOfFibersCountDown(int procs) {
    atProcs(
        procs,
        () -> {
          WaitGroup wg = new WaitGroup();
          AtomicInteger sum = new AtomicInteger();
          int fibers = 10_000;
          for (int i = 0; i < fibers; i++) {
            wg.add(1);
            int v = i;
            Weft.go(
                () -> {
                  sum.addAndGet(v % 7);
                  wg.done();
                });
          }
          Weft.run(wg::await);
          int expected = 0;
          for (int i = 0; i < fibers; i++) {
            expected += i % 7;
          }
          assertEquals(expected, sum.get());
        });
  }

  @Test
  void anUninstrumentedCallerFailsTheWaitAndLeavesNoWaiterBehind() throws Throwable {
    WaitGroup wg = new WaitGroup();
    wg.add(1);
    Party p =
        start(
            Side.FIBER,
            () -> {
              Runnable plain = wg::await;
              assertThrows(UninstrumentedFrameError.class, plain::run);
              assertEquals(0, wg.waitingAwaiters());
            });
    p.join();
    wg.done();
    assertFalse(wg.toString().contains("counter=1"));
  }
}
