package dev.weft;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A deadlock is reported even when the objects the fibers wait on were prepared by plain threads
 * that can no longer wake anyone: the thread that is itself blocked in {@code Weft.run}, or a
 * thread that has ended. Each test runs whole in one thread of its own, so that the thread that
 * prepares the objects is the one that then waits in {@code Weft.run}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MainPreparedDeadlockTest {
  /** Long enough for the detector's 100 ms grace on a loaded machine, short of the class timeout. */
  private static final Duration REPORT_WITHIN = Duration.ofSeconds(20);

  private static DeadlockException deadlockIn(Runnable program) {
    return org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        REPORT_WITHIN,
        () -> assertThrows(DeadlockException.class, program::run),
        "hung instead of reporting the deadlock");
  }

  @Test
  void objectsMadeAndUsedByMainBeforeRunStillDeadlock() {
    DeadlockException e =
        deadlockIn(
            () -> {
              // The common way to write it: everything prepared on the main thread first.
              Channel<String> results = Channel.make(1);
              WaitGroup wg = new WaitGroup();
              Mutex mu = new Mutex();
              wg.add(1);
              results.trySend("warm-up");
              results.tryReceive();
              mu.lock();
              mu.unlock();
              Weft.run(
                  () -> {
                    mu.lock();
                    Weft.go(wg::await);
                    Weft.go(mu::lock);
                    results.receive();
                    results.receive(); // nobody sends: everything is blocked
                  });
            });
    String report = e.getMessage();
    assertTrue(report.contains("receive from Channel"), report);
    assertTrue(report.contains("await WaitGroup"), report);
    assertTrue(report.contains("lock Mutex"), report);
  }

  @Test
  void objectsUsedByAThreadThatHasEndedStillDeadlock() {
    DeadlockException e =
        deadlockIn(
            () -> {
              Channel<String> ch = Channel.make(1);
              Thread t = new Thread(() -> ch.trySend("before run"));
              t.start();
              try {
                t.join();
              } catch (InterruptedException x) {
                throw new AssertionError(x);
              }
              Weft.run(
                  () -> {
                    ch.receive();
                    ch.receive(); // the only plain user is gone: nobody can send
                  });
            });
    assertTrue(e.getMessage().contains("receive from Channel"), e.getMessage());
  }
}
