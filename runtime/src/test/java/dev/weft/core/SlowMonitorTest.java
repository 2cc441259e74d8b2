package dev.weft.core;

import static dev.weft.core.ParkerTest.atProcs;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Channel;
import dev.weft.DeadlockException;
import dev.weft.Suspendable;
import dev.weft.Weft;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The monitor keeps its pace across idle parks instead of starting again at 20 us each time a
 * worker wakes (MonitorPace). So a worker that just woke may be watched at the slowest pace, 10 ms:
 * held there, the monitor must still preempt a fiber that computes, compensate a worker blocked
 * in a plain call, and report a deadlock, each right after the scheduler was idle and woke up.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowMonitorTest {
  private final CountDownLatch idleChecked = new CountDownLatch(1);
  private Thread waker;

  @BeforeEach
  void holdTheSlowestPace() {
    Monitor.slowestPaceForTests = true;
    Monitor.afterCheck = idleChecked::countDown; // every worker idle, the monitor about to park
  }

  @AfterEach
  void release() throws InterruptedException {
    Monitor.afterCheck = null;
    Monitor.slowestPaceForTests = false;
    if (waker != null) {
      waker.join();
    }
  }

  /** Main's first wait, ended by a plain thread once the monitor has seen everything idle. */
  private Channel<String> wakeAfterIdle() {
    Channel<String> ch = Channel.make(1);
    waker =
        new Thread(
            () -> {
              try {
                idleChecked.await();
                ch.send("wake");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    waker.start();
    return ch;
  }

  @Test
  void aComputingFiberIsPreemptedRightAfterAnIdleWakeUp() {
    Channel<String> wake = wakeAfterIdle();
    atProcs(
        1,
        () ->
            Weft.run(
                () -> {
                  wake.receive(); // every worker idle until the waker sends
                  AtomicBoolean stop = new AtomicBoolean();
                  Weft.go(() -> stop.set(true));
                  assertTrue(computeUntil(stop) > 0); // ends only when the other fiber ran
                }));
  }

  @Test
  void aWorkerBlockedInAPlainCallIsCompensatedRightAfterAnIdleWakeUp() {
    Channel<String> wake = wakeAfterIdle();
    atProcs(
        1,
        () ->
            Weft.run(
                () -> {
                  wake.receive();
                  CountDownLatch latch = new CountDownLatch(1);
                  Weft.go(latch::countDown); // queued behind us on our only worker
                  latch.await(); // WAITING in a plain call: only a compensating worker ends it
                }));
  }

  @Test
  void aDeadlockFormedRightAfterAnIdleWakeUpIsReported() {
    Channel<String> wake = wakeAfterIdle();
    Channel<String> silent = Channel.make(); // nobody ever sends on it
    assertThrows(
        DeadlockException.class,
        () ->
            Weft.run(
                () -> {
                  wake.receive();
                  silent.receive();
                }));
  }

  @Suspendable
  private static long computeUntil(AtomicBoolean stop) {
    long n = 0;
    while (!stop.get()) { // the agent's back-edge check yields here once the monitor asks
      n++;
    }
    return n;
  }
}
