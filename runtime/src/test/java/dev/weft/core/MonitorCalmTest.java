package dev.weft.core;

import static dev.weft.core.ParkerTest.atProcs;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.WaitGroup;
import dev.weft.Weft;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * While every worker runs short slices of compute, nothing the monitor does can fall due before
 * the oldest slice could need its blocking check, so it sleeps until then instead of waking every
 * 20 us: on a machine with as many cores as workers each of its wake-ups is time taken from one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MonitorCalmTest {
  private static final long WINDOW_NANOS = 60_000_000L;
  private static final long SLICE_NANOS = 200_000L;

  @Test
  void theMonitorSleepsWhileEveryWorkerRunsYoungSlices() {
    atProcs(
        1,
        () ->
            Weft.run(
                () -> {
                  Monitor monitor = Scheduler.get().monitor;
                  long t0 = System.nanoTime();
                  long before = monitor.cycles();
                  int slices = 0;
                  while (System.nanoTime() - t0 < WINDOW_NANOS) {
                    // A child computes a short slice while this fiber waits: the only worker
                    // always has a fiber to run, and its slice counter moves on every time.
                    WaitGroup done = new WaitGroup();
                    done.add(1);
                    Weft.go(
                        () -> {
                          computeFor(SLICE_NANOS);
                          done.done();
                        });
                    done.await();
                    slices++;
                  }
                  long cycles = monitor.cycles() - before;
                  long elapsedMs = (System.nanoTime() - t0) / 1_000_000L;
                  // 20 us cycles would be 50 in the first few milliseconds alone; sleeping until
                  // the oldest slice could be 5 ms old is about one cycle per 5 ms.
                  long bound = elapsedMs / 2 + 5;
                  assertTrue(
                      cycles <= bound,
                      "the monitor ran "
                          + cycles
                          + " cycles in "
                          + elapsedMs
                          + " ms of "
                          + slices
                          + " short slices; at most "
                          + bound
                          + " expected");
                }));
  }

  @Suspendable
  private static void computeFor(long nanos) {
    long until = System.nanoTime() + nanos;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
  }
}
