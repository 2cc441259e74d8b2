package dev.weft.core;

import static dev.weft.core.ParkerTest.atProcs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Channel;
import dev.weft.DeadlockException;
import dev.weft.WaitGroup;
import dev.weft.Weft;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-worker timer heaps ({@link Timers}): a timer lives in its creator's heap and still fires
 * when that worker cannot fire it, cancels from other threads are exact, and the deadlock detector
 * counts only timers that still wait.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerTimersTest {

  /** Records the thread that fired it. */
  private static final class Recording extends Timer {
    final CountDownLatch fired = new CountDownLatch(1);
    volatile Thread firedOn;

    Recording(long deadline) {
      super(deadline);
    }

    @Override
    void fire() {
      firedOn = Thread.currentThread();
      fired.countDown();
    }
  }

  @Test
  void aTimerGoesIntoTheHeapOfTheWorkerThatMadeIt() {
    atProcs(
        1,
        () -> {
          AtomicBoolean inMakersHeap = new AtomicBoolean();
          Recording t = new Recording(Timer.deadlineAfter(1_000_000));
          Weft.run(
              () -> {
                Scheduler.get().timers.add(t);
                inMakersHeap.set(t.heap == ((Worker) Thread.currentThread()).timers);
              });
          assertTrue(inMakersHeap.get(), "in its maker's heap, not the ownerless one");
          assertTrue(t.fired.await(30, TimeUnit.SECONDS));
          Recording plain = new Recording(Timer.deadlineAfter(1_000_000));
          Scheduler.get().timers.add(plain);
          assertEquals(Scheduler.get().timers.ownerless, plain.heap, "a plain thread's");
          assertTrue(plain.fired.await(30, TimeUnit.SECONDS));
        });
  }

  @Test
  void aWorkerStuckInALongSliceStillHasItsTimersFired() {
    // At procs=1 the only worker computes, without a preemption point, until its own timer has
    // fired: only the monitor (or a worker that took its place) can fire it.
    atProcs(
        1,
        () -> {
          Recording t = new Recording(Timer.deadlineAfter(2_000_000));
          AtomicReference<Thread> worker = new AtomicReference<>();
          AtomicBoolean sameSlice = new AtomicBoolean();
          Weft.run(
              () -> {
                worker.set(Thread.currentThread());
                Scheduler.get().timers.add(t);
                int slices = ((Worker) Thread.currentThread()).slices();
                spinUntil(t.fired);
                sameSlice.set(((Worker) Thread.currentThread()).slices() == slices);
              });
          assertTrue(sameSlice.get(), "the timer fired while its worker was still in the slice");
          assertNotSame(worker.get(), t.firedOn, "fired by another thread than its stuck worker");
        });
  }

  /** Computes without a preemption point: in a monitor, where a fiber cannot be preempted. */
  private static void spinUntil(CountDownLatch latch) {
    synchronized (latch) {
      while (latch.getCount() > 0) {
        Thread.onSpinWait();
      }
    }
  }

  @Test
  void aWorkerBlockedInAPlainCallStillHasItsTimersFired() {
    // The fiber's worker blocks its thread until the timer made on it has fired: a deadlock
    // unless another thread fires that worker's timers.
    atProcs(
        1,
        () -> {
          CountDownLatch received = new CountDownLatch(1);
          Weft.run(
              () -> {
                Channel<Instant> after = Weft.after(java.time.Duration.ofMillis(1));
                Thread receiver =
                    new Thread(
                        () -> {
                          after.receive();
                          received.countDown();
                        });
                receiver.start();
                try {
                  received.await(); // blocks the worker thread
                } catch (InterruptedException e) {
                  throw new AssertionError(e);
                }
              });
        });
  }

  @Test
  void cancelsFromAnotherThreadAreExact() throws Exception {
    // A fiber arms timers on its worker while a plain thread cancels half of them, racing their
    // firing: each timer either fired once or was cancelled, never both, never neither. A quarter
    // are an hour ahead: cancelling those must win.
    int n = 20_000;
    int[] fires = new int[n];
    Semaphore fired = new Semaphore(0); // a permit per firing
    List<Timer> timers = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(11);
    long base = System.nanoTime();
    for (int i = 0; i < n; i++) {
      int id = i;
      long deadline =
          i % 4 == 1 ? base + TimeUnit.HOURS.toNanos(1) : base + random.nextInt(5_000_000);
      timers.add(
          new CallbackTimer(
              deadline,
              () -> {
                synchronized (fires) {
                  fires[id]++;
                }
                fired.release();
              }));
    }
    boolean[] cancelled = new boolean[n];
    CountDownLatch armed = new CountDownLatch(1);
    Thread canceller =
        new Thread(
            () -> {
              try {
                armed.await();
              } catch (InterruptedException e) {
                return;
              }
              for (int i = 0; i < n; i++) {
                if (i % 4 == 1) {
                  while (!timers.get(i).isWaiting()) {
                    Thread.onSpinWait(); // not armed yet
                  }
                }
                if (i % 2 == 1) {
                  cancelled[i] = timers.get(i).cancel();
                }
              }
            });
    canceller.start();
    atProcs(
        2,
        () ->
            Weft.run(
                () -> {
                  for (int i = 0; i < n; i++) {
                    Scheduler.get().timers.add(timers.get(i));
                    if (i == 100) {
                      armed.countDown();
                    }
                    if (i % 50 == 0) {
                      Weft.gosched(); // a pick: the worker fires what is due meanwhile
                    }
                  }
                }));
    canceller.join();
    int expected = 0;
    for (boolean c : cancelled) {
      expected += c ? 0 : 1;
    }
    // The last timers fire on the workers; a timer fired twice shows in the counts below.
    boolean allFired = fired.tryAcquire(expected, 30, TimeUnit.SECONDS);
    synchronized (fires) {
      for (int i = 0; i < n; i++) {
        assertEquals(cancelled[i] ? 0 : 1, fires[i], "firings of timer " + i);
      }
    }
    assertTrue(allFired, "every timer not cancelled fired within 30 s");
    assertEquals(0, fired.availablePermits(), "firings beyond one per timer not cancelled");
    for (int i = 1; i < n; i += 4) {
      assertTrue(cancelled[i], "the cancel of timer " + i + ", an hour ahead");
    }
  }

  @Test
  void manyTimersOnTwoWorkersAllFireNoEarlierThanAsked() {
    atProcs(
        2,
        () -> {
          int fibers = 5_000;
          AtomicInteger early = new AtomicInteger();
          Weft.run(
              () -> {
                WaitGroup wg = new WaitGroup();
                wg.add(fibers);
                for (int i = 0; i < fibers; i++) {
                  int id = i;
                  Weft.go(
                      () -> {
                        SplittableRandom r = new SplittableRandom(id);
                        for (int k = 0; k < 5; k++) {
                          long nanos = r.nextLong(5_000_000);
                          long start = System.nanoTime();
                          Weft.sleep(java.time.Duration.ofNanos(nanos));
                          if (System.nanoTime() - start < nanos) {
                            early.incrementAndGet();
                          }
                        }
                        wg.done();
                      });
                }
                wg.await();
              });
          assertEquals(0, early.get(), "sleeps that ended early");
          assertEquals(0, Scheduler.get().timers.size(), "no timer left waiting");
        });
  }

  @Test
  void aCancelledTimerLeftInAHeapDoesNotHideADeadlock() {
    // A timed park ended by an unpark leaves its (cancelled) timer, an hour ahead, in the heap:
    // it must not count as a timer that could still wake somebody.
    DeadlockException e =
        assertThrows(
            DeadlockException.class,
            () ->
                atProcs(
                    1,
                    () ->
                        Weft.run(
                            () -> {
                              Parker me = Parker.current();
                              Weft.go(me::unpark);
                              assertTrue(me.parkNanos("an hour", TimeUnit.HOURS.toNanos(1)));
                              Channel.<String>make().receive(); // nobody sends: a deadlock
                            })));
    assertTrue(e.getMessage().startsWith("all fibers are asleep - deadlock!"), e.getMessage());
  }

  @Test
  void aTimerOnABusyWorkersHeapStillCountsAsAWakeUp() {
    // The timer is in a worker's heap, not the ownerless one: everybody waits, but it will fire.
    atProcs(
        2,
        () ->
            assertEquals(
                "late",
                Weft.call(
                    () -> {
                      Channel<String> ch = Channel.make();
                      Weft.go(
                          () -> {
                            Weft.sleep(30);
                            ch.send("late");
                          });
                      return ch.receive();
                    })));
  }

  /**
   * A worker that picks quickly (a ping-pong pair switching beside a sleeper) shares one clock read
   * among several picks: its sleepers must still wake, never before their deadline, also when a new
   * timer is nearer than the one seen at the last read.
   */
  @Test
  void quickPicksSharingAClockReadNeverFireEarlyAndMissNothing() {
    atProcs(
        1,
        () -> {
          AtomicInteger early = new AtomicInteger();
          AtomicInteger woke = new AtomicInteger();
          Weft.run(
              () -> {
                Channel<Object> ping = Channel.make();
                Channel<Object> pong = Channel.make();
                AtomicBoolean stop = new AtomicBoolean();
                WaitGroup wg = new WaitGroup();
                Weft.go(
                    () -> {
                      for (Object b; (b = ping.receive()) != null; ) {
                        pong.send(b);
                      }
                    });
                Weft.go(
                    () -> {
                      while (!stop.get()) {
                        ping.send(Boolean.TRUE);
                        pong.receive();
                      }
                      ping.close();
                    });
                // A far timer first (the one the worker sees at a read), then near ones.
                wg.add(1);
                Weft.go(
                    () -> {
                      Weft.sleep(200);
                      wg.done();
                    });
                SplittableRandom rnd = new SplittableRandom(7);
                for (int i = 0; i < 8; i++) {
                  long micros = 50 + rnd.nextInt(2_000);
                  wg.add(1);
                  Weft.go(
                      () -> {
                        for (int k = 0; k < 20; k++) {
                          long start = System.nanoTime();
                          Weft.sleep(java.time.Duration.ofNanos(micros * 1_000));
                          if (System.nanoTime() - start < micros * 1_000) {
                            early.incrementAndGet();
                          }
                          woke.incrementAndGet();
                        }
                        wg.done();
                      });
                }
                wg.await();
                stop.set(true);
              });
          assertEquals(0, early.get(), "sleeps that ended before their time");
          assertEquals(8 * 20, woke.get());
        });
  }
}
