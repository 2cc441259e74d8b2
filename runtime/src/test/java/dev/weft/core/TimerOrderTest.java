package dev.weft.core;

import static dev.weft.core.ParkerTest.atProcs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.WaitGroup;
import dev.weft.Weft;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fibers whose timers come due together run in deadline order, however many they are: a worker
 * that finds more due timers than its run queue holds must not let later deadlines pass earlier
 * ones (under saturation, that turned into lateness of hundreds of milliseconds for the fibers
 * left behind in the global queue).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimerOrderTest {

  /** More than a run queue holds, so that firing them all at once would overflow it. */
  private static final int SLEEPERS = 3 * RunQueue.CAPACITY / 2;

  /** Wakes one parked fiber, at the back of the firing worker's queue, as a sleep's timer does. */
  private static final class WakeAt extends Timer {
    final Fiber fiber;
    volatile boolean fired;

    WakeAt(long deadline, Fiber fiber) {
      super(deadline);
      this.fiber = fiber;
    }

    @Override
    void fire() {
      Thread current = Thread.currentThread();
      if (!(current instanceof Worker)) {
        firedOffTheWorker = true;
      } else if (!firingWorker.compareAndSet(null, current) && firingWorker.get() != current) {
        firedOffTheWorker = true;
      }
      fired = true;
      fiber.unparkBehind();
    }
  }

  /**
   * Set when a timer was fired by another thread than the first to fire one: by the monitor (the
   * worker was kept from running for over a millisecond, the machine was busy; its firings go to
   * the global queue, which a busy worker serves alternately with its own queue), or by a second
   * worker (the monitor took the first one's slot away, and both fired some). Two threads firing
   * at once ready fibers in two orders. Such a run does not test one worker's firing, and is
   * repeated.
   */
  private static volatile boolean firedOffTheWorker;

  /** The thread that fired the run's first timer. */
  private static final AtomicReference<Thread> firingWorker = new AtomicReference<>();

  /**
   * The longest stretch the fiber that keeps the worker busy computes without yielding: well under
   * the monitor's 20 ms, after which it takes the worker's slot away from a fiber that does not
   * answer a preemption request and starts a second worker (which then fires the timers).
   */
  private static final long SPIN_SLICE_NANOS = 4_000_000L;

  /** Runs the scenario until the worker alone fired the timers, at most this many times. */
  private static final int ATTEMPTS = 10;

  /**
   * Set when a sleeper had not parked yet 100 ms before the deadlines: the sleepers were started
   * too slowly for the lead the run gave them (a busy machine, or the checking modes, where every
   * sleeper yields and walks its stack before it parks). Such a sleeper waits in a run queue when
   * its timer fires, so it runs in queue order rather than deadline order, and a compensating
   * worker may even find it there: the run does not test the firing, and is repeated with a
   * longer lead.
   */
  private static volatile boolean parkedLate;

  @Test
  void moreFibersDueAtOnceThanARunQueueHoldsWakeInDeadlineOrder() {
    assertWakeUpsInDeadlineOrder(0);
  }

  /**
   * The first fiber to wake readies a few more before the others run: they must fit beside what
   * the timers woke. A worker that filled its whole ring with woken fibers moved the older half of
   * them (the earlier deadlines) to the global queue at the first such ready, and then ran the two
   * halves alternately (a stress yield of the fiber that waits for the sleepers did the same).
   */
  @Test
  void aWokenFiberThatReadiesOthersDoesNotPushTheRestOutOfOrder() {
    assertWakeUpsInDeadlineOrder(8);
  }

  private static void assertWakeUpsInDeadlineOrder(int readiedByTheFirst) {
    for (int attempt = 1; ; attempt++) {
      firedOffTheWorker = false;
      firingWorker.set(null);
      parkedLate = false;
      int[] order =
          wakeUpOrder(Math.min(300_000_000L << (attempt - 1), 2_400_000_000L), readiedByTheFirst);
      if ((firedOffTheWorker || parkedLate) && attempt < ATTEMPTS) {
        continue;
      }
      assertTrue(
          !firedOffTheWorker,
          "the monitor or a second worker fired timers in all " + ATTEMPTS + " runs");
      assertTrue(!parkedLate, "sleepers parked too late in all " + ATTEMPTS + " runs");
      assertInDeadlineOrder(order);
      return;
    }
  }

  /**
   * The ids of the sleepers in the order they woke, their deadlines {@code lead} nanos away; the
   * first to wake starts {@code readiedByTheFirst} fibers that end at once.
   */
  private static int[] wakeUpOrder(long lead, int readiedByTheFirst) {
    int[] order = new int[SLEEPERS];
    Fiber[] sleepers = new Fiber[SLEEPERS];
    atProcs(
        1,
        () -> {
          AtomicInteger woken = new AtomicInteger();
          Weft.run(
              () -> {
                long base = System.nanoTime() + lead; // every sleeper parks before it (checked)
                WaitGroup wg = new WaitGroup();
                wg.add(SLEEPERS);
                for (int i = 0; i < SLEEPERS; i++) {
                  int id = i;
                  Weft.go(
                      () -> {
                        // Exact deadlines, 1 ns apart, in reverse order of the ids, so that the
                        // heap does not simply receive them in order.
                        WakeAt t = new WakeAt(base + (SLEEPERS - 1 - id), Fiber.current());
                        sleepers[id] = t.fiber;
                        Scheduler.get().timers.add(t);
                        while (!t.fired) {
                          Parker.current().park(t);
                        }
                        int rank = woken.getAndIncrement();
                        order[rank] = id;
                        for (int k = 0; rank == 0 && k < readiedByTheFirst; k++) {
                          Weft.go(() -> {});
                        }
                        wg.done();
                      });
                }
                // Let every fiber park, then keep the only worker busy until all are due, in
                // slices the monitor does not take it away for (so that only this worker fires
                // them; a yield between slices finds nothing due yet): its next pick after the
                // last slice finds every timer due at once.
                Weft.sleep(Duration.ofNanos(base - 100_000_000L - System.nanoTime()));
                parkedLate = !allParked(sleepers);
                long allDue = base + SLEEPERS + 50_000L;
                while (allDue - System.nanoTime() > SPIN_SLICE_NANOS) {
                  spinUntil(System.nanoTime() + SPIN_SLICE_NANOS);
                  Weft.gosched();
                }
                spinUntil(allDue);
                wg.await();
              });
          assertEquals(SLEEPERS, woken.get());
        });
    return order;
  }

  private static void assertInDeadlineOrder(int[] order) {
    int inversions = 0;
    int first = -1;
    for (int k = 1; k < SLEEPERS; k++) {
      if (order[k] > order[k - 1]) { // a later id is an earlier deadline
        inversions++;
        first = first < 0 ? k : first;
      }
    }
    assertTrue(
        inversions == 0,
        inversions
            + " of "
            + SLEEPERS
            + " fibers woke right after one due later than them, the first at wake-up "
            + first);
  }

  /**
   * Whether every sleeper has parked. Read by the fiber that runs on the only worker, so no sleeper
   * is between its registration and its park: each has either parked or not run that far.
   */
  private static boolean allParked(Fiber[] sleepers) {
    for (Fiber f : sleepers) {
      if (f == null || !FiberStates.isParked(f)) {
        return false;
      }
    }
    return true;
  }

  /** Not rewritten (nothing here is suspendable), so no preemption point can end the slice. */
  private static void spinUntil(long deadline) {
    while (System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
    }
  }
}
