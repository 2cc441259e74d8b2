package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.weft.Channel;
import dev.weft.WaitGroup;
import dev.weft.Weft;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Everything at once, briefly: rings of fibers passing tokens, sleepers, yielders and pinned
 * waiters, while a plain thread keeps changing maxprocs. Nothing may be lost or run twice.
 */
class SchedulerStressTest {
  private final Object lock = new Object();

  @Test
  void workSurvivesMaxProcsChangingUnderIt() {
    int before = Weft.setMaxProcs(2);
    try {
      assertTimeoutPreemptively(
          Duration.ofSeconds(60),
          () -> {
            AtomicBoolean stop = new AtomicBoolean();
            Thread flipper =
                new Thread(
                    () -> {
                      int[] values = {1, 3, 2, 1, 4, 2};
                      for (int i = 0; !stop.get(); i++) {
                        Weft.setMaxProcs(values[i % values.length]);
                        Thread.onSpinWait();
                        Thread.yield();
                      }
                    });
            flipper.start();
            AtomicLong hops = new AtomicLong();
            int rings = 8;
            int ringSize = 50;
            int laps = 500;
            try {
              Weft.run(
                  () -> {
                    WaitGroup wg = new WaitGroup();
                    wg.add(rings + 3);
                    for (int r = 0; r < rings; r++) {
                      Weft.go(
                          () -> {
                            ring(ringSize, laps, hops);
                            wg.done();
                          });
                    }
                    Weft.go(
                        () -> {
                          for (int i = 0; i < 50; i++) {
                            Weft.sleep(1);
                          }
                          wg.done();
                        });
                    Weft.go(
                        () -> {
                          for (int i = 0; i < 5_000; i++) {
                            Weft.gosched();
                          }
                          wg.done();
                        });
                    Weft.go(
                        () -> {
                          for (int i = 0; i < 20; i++) {
                            synchronized (lock) {
                              Weft.sleep(1); // pinned: blocks its worker, compensated
                            }
                          }
                          wg.done();
                        });
                    wg.await();
                  });
            } finally {
              stop.set(true);
              flipper.join();
            }
            assertEquals((long) rings * ringSize * laps, hops.get());
          });
    } finally {
      Weft.setMaxProcs(before);
    }
  }

  /** A ring of fibers joined by unbuffered channels; a token goes round {@code laps} times. */
  @dev.weft.Suspendable
  private static void ring(int size, int laps, AtomicLong hops) {
    Channel<Integer> first = Channel.make();
    Channel<Integer> in = first;
    for (int i = 1; i < size; i++) {
      Channel<Integer> out = Channel.make();
      Channel<Integer> from = in;
      Weft.go(
          () -> {
            for (Integer v; (v = from.receive()) != null; ) {
              hops.incrementAndGet();
              out.send(v);
            }
            out.close();
          });
      in = out;
    }
    for (int lap = 0; lap < laps; lap++) {
      first.send(lap);
      hops.incrementAndGet();
      assertEquals(lap, (int) in.receive());
    }
    first.close();
    in.receive();
  }
}
