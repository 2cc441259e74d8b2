package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Weft;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToLongFunction;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * At two workers, a thief sleeps a little before its first steal from a running worker (Go's
 * usleep(3) in runqgrab, which Weft applies to the ring too). Fibers readied at every moment
 * around that sleep (before it, during it, after the thief gave up and parked) must all run: the
 * busy fiber here never parks, so only the other worker can run them, the fiber left in runNext
 * included, which only the thief's last round may take. A backlog far larger than one steal must
 * be emptied too: the sleep comes once per search, and each later steal takes half of what is
 * left. The sleep grows while steals fetch less work than it lasts ({@link Worker#nextStealNap});
 * a thief grown sleepy that way must still empty a backlog.
 */
@Timeout(120)
class StealNapTest {

  @Test
  void fibersReadiedBesideABusyWorkerAreStolenAroundTheNap() {
    // Three a round: the first goes to this worker's runNext, the next two push it on to the
    // ring, both placements, with and without a wake-up call. Then a pause of a varying length,
    // so that the next round's fibers arrive while the other worker steals, sleeps before a
    // steal, or after it parked.
    readyBesideABusyWorker(3_000, round -> 3, round -> (round % 64) * 2_000L);
  }

  @Test
  void aBacklogBesideABusyWorkerIsEmptiedByTheThief() {
    // Most of a ring: the thief takes it by halves, napping once per search.
    readyBesideABusyWorker(200, round -> 200, round -> 0L);
  }

  @Test
  void aBacklogIsEmptiedByAThiefWhoseStealsFetchedLittle() {
    // First single fibers that do nothing, each stolen after a sleep and done at once: every
    // steal fetches less than its sleep cost, so the thief's sleep grows to its longest. Then
    // backlogs of 200, which it must still empty (the first steal puts the sleep back).
    readyBesideABusyWorker(600, round -> round < 500 ? 1 : 200, round -> 0L);
  }

  @Test
  void theSleepDoublesWhileStealsFetchLittleAndFallsBackAtOnce() {
    long slept = 60_000; // a timer slack
    long nap = Worker.STEAL_NAP_NANOS;
    int doublings = 0;
    while (nap < Worker.STEAL_NAP_MAX_NANOS) {
      long next = Worker.nextStealNap(nap, slept - 1, slept);
      assertEquals(Math.min(2 * nap, Worker.STEAL_NAP_MAX_NANOS), next);
      nap = next;
      doublings++;
    }
    assertEquals(9, doublings); // 3 us to 1 ms: 3 << 9 = 1,536 us, capped
    assertEquals(Worker.STEAL_NAP_MAX_NANOS, Worker.nextStealNap(nap, 0, slept));
    // Work that lasted as long as its sleep was worth the steal: back to the least at once.
    assertEquals(Worker.STEAL_NAP_NANOS, Worker.nextStealNap(nap, slept, slept));
    assertEquals(
        Worker.STEAL_NAP_NANOS, Worker.nextStealNap(Worker.STEAL_NAP_NANOS, slept, slept));
  }

  /**
   * At two workers, readies {@code perRound(round)} fibers a round from a fiber that then stays busy,
   * without parking, until the other worker has run them all, then pauses {@code pauseNanos} of
   * the round; checks that every fiber ran.
   */
  private static void readyBesideABusyWorker(
      int rounds, IntUnaryOperator perRound, IntToLongFunction pauseNanos) {
    int before = Weft.setMaxProcs(2);
    try {
      AtomicLong ran = new AtomicLong();
      long expected = 0;
      for (int round = 0; round < rounds; round++) {
        expected += perRound.applyAsInt(round);
      }
      Weft.run(
          () -> {
            for (int round = 0; round < rounds; round++) {
              int n = perRound.applyAsInt(round);
              AtomicInteger left = new AtomicInteger(n);
              for (int i = 0; i < n; i++) {
                Weft.go(
                    () -> {
                      ran.incrementAndGet();
                      left.decrementAndGet();
                    });
              }
              while (left.get() != 0) {
                Thread.onSpinWait();
              }
              long until = System.nanoTime() + pauseNanos.applyAsLong(round);
              while (System.nanoTime() - until < 0) {
                Thread.onSpinWait();
              }
            }
          });
      assertEquals(expected, ran.get());
    } finally {
      Weft.setMaxProcs(before);
    }
  }
}
