package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Channel;
import dev.weft.DeadlockException;
import dev.weft.Weft;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The monitor must not park on a stale answer: when the scheduler wakes up, runs and goes idle
 * again between a deadlock check and the monitor's park, a deadlock that formed meanwhile must
 * still be reported. The probe makes exactly that happen, on the monitor thread, right after the
 * check.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MonitorParkRaceTest {
  @Test
  void aDeadlockFormedWhileTheMonitorDecidesToParkIsReported() throws Exception {
    Channel<String> fed = Channel.make(); // a live plain thread uses it: not a deadlock yet
    Channel<String> silent = Channel.make(); // nobody will ever send on it
    CountDownLatch touched = new CountDownLatch(1);
    CountDownLatch end = new CountDownLatch(1);
    Thread feeder =
        new Thread(
            () -> {
              fed.trySend("touch"); // a plain user that stays alive, so main is not stuck
              touched.countDown();
              try {
                end.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    feeder.start();
    touched.await();
    AtomicReference<Fiber> main = new AtomicReference<>();
    AtomicBoolean armed = new AtomicBoolean(true);
    Monitor.afterCheck =
        () -> {
          Fiber f = main.get();
          if (f == null || !parkedOn(f, "receive from " + fed) || !armed.compareAndSet(true, false)) {
            return;
          }
          // A check has just found main waiting on a channel a live plain thread uses: settled.
          // Now wake main; it runs, then parks for good on the silent channel, and every worker
          // goes idle again, all before the monitor decides whether to park.
          fed.trySend("wake");
          while (!parkedOn(f, "receive from " + silent) || !allWorkersIdle()) {
            Thread.onSpinWait();
          }
        };
    try {
      assertThrows(
          DeadlockException.class,
          () ->
              Weft.run(
                  () -> {
                    main.set(Fiber.current());
                    fed.receive();
                    silent.receive();
                  }));
      assertTrue(!armed.get(), "the probe never ran");
    } finally {
      Monitor.afterCheck = null;
      end.countDown();
      feeder.join();
    }
  }

  private static boolean parkedOn(Fiber f, String what) {
    Object b = f.blocker();
    return (f.stateBits() & Fiber.STATE_MASK) == Fiber.PARKED
        && b != null
        && String.valueOf(b).contains(what);
  }

  private static boolean allWorkersIdle() {
    Scheduler s = Scheduler.get();
    return s.nBlocked() == 0 && s.nSpinning() == 0 && s.nIdle >= s.nActive() && s.global.isEmpty();
  }
}
