package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lock every channel, mutex and wait group is guarded by, taken by more plain threads than the
 * machine has cores: holders lose their CPU while holding it, so waiters go past the spin and sleep
 * (the contended path). Every increment made under the lock must survive, and the run must end.
 */
class WaitableLockTest {
  private static final int THREADS = 8;
  private static final int ROUNDS = 50_000;

  /** A bare Waitable: the lock and nothing else. */
  private static final class Bare extends Waitable {
    /** Guarded by the lock; plain on purpose, so a lost exclusion shows as a lost increment. */
    long counter;

    @Override
    void unqueue(Waiter w) {}

    @Override
    String describeWait(Waiter w) {
      return "nothing";
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void incrementsUnderTheLockAreNeverLostWhenHoldersAreDescheduled() throws Exception {
    Bare lock = new Bare();
    CountDownLatch go = new CountDownLatch(1);
    Thread[] threads = new Thread[THREADS];
    for (int t = 0; t < THREADS; t++) {
      threads[t] =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  throw new AssertionError(e);
                }
                for (int i = 0; i < ROUNDS; i++) {
                  lock.spinLock();
                  long c = lock.counter;
                  if ((i & 63) == 0) {
                    Thread.yield(); // hold the lock across a reschedule now and then
                  }
                  lock.counter = c + 1;
                  lock.spinUnlock();
                }
              });
      threads[t].start();
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    lock.spinLock();
    long total = lock.counter;
    lock.spinUnlock();
    assertEquals((long) THREADS * ROUNDS, total);
  }
}
