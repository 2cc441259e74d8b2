package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Weft;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
    int before = Weft.setMaxProcs(2);
    try {
      AtomicLong ran = new AtomicLong();
      int rounds = 3_000;
      Weft.run(
          () -> {
            for (int round = 0; round < rounds; round++) {
              AtomicInteger left = new AtomicInteger(3);
              // The first goes to this worker's runNext, the next two push it on to the ring:
              // both placements, with and without a wake-up call.
              for (int i = 0; i < 3; i++) {
                Weft.go(
                    () -> {
                      ran.incrementAndGet();
                      left.decrementAndGet();
                    });
              }
              // Busy, without parking, until the other worker has run all three.
              while (left.get() != 0) {
                Thread.onSpinWait();
              }
              // Then a pause of a varying length, so that the next round's fibers arrive while
              // the other worker steals, sleeps before a steal, or after it parked.
              long until = System.nanoTime() + (round % 64) * 2_000L;
              while (System.nanoTime() - until < 0) {
                Thread.onSpinWait();
              }
            }
          });
      assertEquals(3L * rounds, ran.get());
    } finally {
      Weft.setMaxProcs(before);
    }
  }

  @Test
  void aBacklogBesideABusyWorkerIsEmptiedByTheThief() {
    int before = Weft.setMaxProcs(2);
    try {
      AtomicLong ran = new AtomicLong();
      int rounds = 200;
      int backlog = 200; // most of a ring: the thief takes it by halves, napping once per search
      Weft.run(
          () -> {
            for (int round = 0; round < rounds; round++) {
              AtomicInteger left = new AtomicInteger(backlog);
              for (int i = 0; i < backlog; i++) {
                Weft.go(
                    () -> {
                      ran.incrementAndGet();
                      left.decrementAndGet();
                    });
              }
              while (left.get() != 0) {
                Thread.onSpinWait();
              }
            }
          });
      assertEquals((long) backlog * rounds, ran.get());
    } finally {
      Weft.setMaxProcs(before);
    }
  }
}
