package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Weft;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * At two workers, a thief sleeps a little before its first steal from a running worker (Go's
 * usleep(3) in runqgrab, which Weft applies to the ring too). Fibers readied at every moment
 * around that sleep (before it, during it, after the thief gave up and parked) must all run: the
 * busy fiber here never parks, so only the other worker can run them, the fiber left in runNext
 * included, which only the thief's last round may take. A backlog far larger than one steal must
 * be emptied too: the sleep comes once per search, and each later steal takes half of what is
 * left.
 */
@Timeout(120)
class StealNapTest {

  @Test
  void fibersReadiedBesideABusyWorkerAreStolenAroundTheNap() {
    // Three a round: the first goes to this worker's runNext, the next two push it on to the
    // ring, both placements, with and without a wake-up call. Then a pause of a varying length,
    // so that the next round's fibers arrive while the other worker steals, sleeps before a
    // steal, or after it parked.
    readyBesideABusyWorker(3_000, 3, round -> (round % 64) * 2_000L);
  }

  @Test
  void aBacklogBesideABusyWorkerIsEmptiedByTheThief() {
    // Most of a ring: the thief takes it by halves, napping once per search.
    readyBesideABusyWorker(200, 200, round -> 0L);
  }

  /**
   * At two workers, readies {@code perRound} fibers a round from a fiber that then stays busy,
   * without parking, until the other worker has run them all, then pauses {@code pauseNanos} of
   * the round; checks that every fiber ran.
   */
  private static void readyBesideABusyWorker(
      int rounds, int perRound, IntToLongFunction pauseNanos) {
    int before = Weft.setMaxProcs(2);
    try {
      AtomicLong ran = new AtomicLong();
      Weft.run(
          () -> {
            for (int round = 0; round < rounds; round++) {
              AtomicInteger left = new AtomicInteger(perRound);
              for (int i = 0; i < perRound; i++) {
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
      assertEquals((long) perRound * rounds, ran.get());
    } finally {
      Weft.setMaxProcs(before);
    }
  }
}
