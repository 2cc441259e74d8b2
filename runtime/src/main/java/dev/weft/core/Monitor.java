package dev.weft.core;

import java.security.PrivilegedAction;
import java.util.concurrent.locks.LockSupport;

/**
 * The scheduler's watchdog, as Go's sysmon: one daemon thread, outside the n workers.
 *
 * <p>Every cycle it looks at each worker holding a slot and remembers the worker's slice counter.
 * When the same slice has lasted:
 *
 * <ul>
 *   <li>over {@value #PREEMPT_NANOS} ns: it asks the fiber to yield ({@link Fiber#requestPreempt}),
 *       which the agent's loop back-edge check honours, so a computing fiber cannot starve the
 *       others (Go preempts after 10 ms too);
 *   <li>over {@value #BLOCKING_NANOS} ns while the worker thread is BLOCKED, WAITING or
 *       TIMED_WAITING (a plain blocking call: a lock, a sleep, a future): it takes the worker's
 *       slot away and starts a compensating worker ({@link Scheduler#retake}), as sysmon retakes a
 *       P from a goroutine in a system call. Runnable fibers never wait behind a blocked one for
 *       more than a few milliseconds. A worker that blocks in a pinned park hands its slot over at
 *       once, without waiting for the monitor.
 *   <li>{@value #PREEMPT_NANOS} ns after such a request, still unanswered (a fiber computing
 *       inside {@code synchronized}, or below an uninstrumented frame, or a thread blocked in a
 *       native call, file or socket I/O, which is RUNNABLE as a computing one is): it retakes the
 *       worker's slot as for a blocked one, so that no such fiber starves the others.
 * </ul>
 *
 * When a worker's queue has waited a whole cycle beside an idle worker, it wakes one: the
 * scheduler does not wake a worker for a fiber that only fills a runNext slot (the common hand-off
 * would pay a thread wake-up per message), and this bounds what that costs when the running fiber
 * goes on computing instead of parking.
 *
 * <p>It also fires the due timers of a worker that cannot, being stuck in a long slice or blocked
 * (see {@link Timers#runStalled}), and, when every worker
 * is idle, runs the {@link DeadlockDetector} once and then parks until a worker wakes up: an idle
 * program uses no CPU. Its sleep adapts as Go's: 20 us while it has work to do, doubling after 50
 * quiet cycles up to 10 ms.
 *
 * <p>Reading the workers is racy by design (plain reads of their running fiber, opaque reads of
 * their slice counter); a stale read costs at most one spurious preemption request or one early
 * compensating worker, both harmless.
 */
final class Monitor implements Runnable {
  static final long PREEMPT_NANOS = 10_000_000L;
  static final long BLOCKING_NANOS = 5_000_000L;
  private static final long MIN_DELAY = 20_000L;
  private static final long MAX_DELAY = 10_000_000L;

  /**
   * Run on the monitor thread right after each idle deadlock check, before it decides to park: a
   * test's way to make the scheduler move at exactly that moment. Null outside tests.
   */
  static volatile Runnable afterCheck;

  private final Scheduler sched;
  private final DeadlockDetector deadlocks;
  private volatile Thread thread;
  /** True while the monitor is parked because nothing runs; workers that wake up unpark it. */
  private volatile boolean parked;

  Monitor(Scheduler sched) {
    this.sched = sched;
    this.deadlocks = new DeadlockDetector(sched);
  }

  /** Starts the thread with the first worker. */
  void startOnce() {
    if (thread != null) {
      return;
    }
    synchronized (this) {
      if (thread == null) {
        Thread t = newThread();
        thread = t;
        t.start();
      }
    }
  }

  /**
   * The monitor's thread, not started. As a worker, it inherits neither thread locals nor the
   * context class loader of the thread that happened to start the scheduler.
   */
  Thread newThread() {
    Thread t =
        DetachedThreads.make(
            new PrivilegedAction<Thread>() {
              @Override
              public Thread run() {
                return new Thread(sched.threads, Monitor.this, "weft-monitor", 1L << 20, false);
              }
            });
    t.setDaemon(true);
    t.setContextClassLoader(ClassLoader.getSystemClassLoader());
    return t;
  }

  /** Called by a worker that leaves the idle or spare list. One volatile read when not parked. */
  void wakeIfParked() {
    if (parked) {
      Thread t = thread;
      if (t != null) {
        LockSupport.unpark(t);
      }
    }
  }

  @Override
  public void run() {
    long delay = MIN_DELAY;
    int quiet = 0;
    for (; ; ) {
      try {
        if (allIdle()) {
          // Volatile write of parked before the check, then volatile reads in the check and in
          // allIdle(): a worker that leaves the idle list at any point after the first of them
          // reads parked == true and unparks us, so the park below returns at once. Set after the
          // check, a worker that woke, ran and went idle again during the check would leave us
          // parked on a stale "settled" answer and a deadlock that formed meanwhile unreported.
          parked = true;
          boolean settled = deadlocks.check();
          Runnable probe = afterCheck;
          if (probe != null) {
            probe.run();
          }
          if (allIdle()) {
            if (settled) {
              LockSupport.park(this);
            } else {
              LockSupport.parkNanos(this, MAX_DELAY); // the check was disturbed: look again
            }
          }
          parked = false;
          delay = MIN_DELAY;
          quiet = 0;
          continue;
        }
        LockSupport.parkNanos(this, delay);
        long now = System.nanoTime();
        boolean acted = checkWorkers(now);
        acted |= sched.timers.runStalled(now); // after checkWorkers: it reads the slice records
        NetPoller net = NetPoller.active();
        acted |= net != null && net.pollIfStale(now);
        if (!sched.global.isEmpty() && sched.nIdle > 0 && sched.nSpinning() == 0) {
          sched.wakeIdle(); // a safety net: the wake-up protocol should have done it already
          acted = true;
        }
        if (acted) {
          delay = MIN_DELAY;
          quiet = 0;
        } else if (++quiet > 50) {
          delay = Math.min(delay * 2, MAX_DELAY);
        }
      } catch (Throwable t) {
        RuntimeLog.log(
            RuntimeLog.RUNTIME, System.Logger.Level.ERROR, "Weft internal error in the monitor: ", t);
      }
    }
  }

  /** No worker runs, spins or blocks in a slice: nothing can happen until something wakes one. */
  private boolean allIdle() {
    return sched.nBlocked() == 0
        && sched.nSpinning() == 0
        && sched.nIdle >= sched.nActive()
        && sched.global.isEmpty();
  }

  private boolean checkWorkers(long now) {
    boolean acted = false;
    for (Worker w : sched.workers) {
      Fiber f = w.running();
      if (f == null || w.status != Worker.RUNNING) {
        w.monSlices = -1;
        continue;
      }
      int slices = w.slices();
      if (slices != w.monSlices) {
        w.monSlices = slices;
        w.monSince = now;
        w.monPreempted = false;
        continue;
      }
      long ran = now - w.monSince;
      if (!w.runq.isEmpty() && sched.nIdle > 0 && sched.nSpinning() == 0) {
        // Fibers have waited in this worker's queue for a whole monitor period while another
        // worker sleeps (a runNext readied without a wake-up, see Scheduler.ready): wake it.
        sched.wakeIdle();
        acted = true;
      }
      if (ran >= PREEMPT_NANOS && !w.monPreempted) {
        f.requestPreempt();
        w.monPreempted = true;
        w.monPreemptedAt = now;
        acted = true;
      } else if (w.monPreempted && now - w.monPreemptedAt >= PREEMPT_NANOS) {
        // Asked to yield a whole slice ago and still running: the fiber computes where it cannot
        // unwind (inside synchronized, below an uninstrumented frame, in a long call without
        // loops). Give its place to a compensating worker, as for a blocked one, so that it
        // never starves the others; its worker takes a slot back, or retires, when it yields.
        // Counted from the request, not from the slice's start: when this thread saw the slice
        // late (a garbage collection's pause, 25 ms at the start of a program that makes 100,000
        // fibers, stops it too), a slice already "20 ms" old at the request was retaken on the
        // next look, microseconds later, before the fiber reached a preemption check.
        acted |= sched.retake(w);
      }
      if (w.status == Worker.RUNNING && ran >= BLOCKING_NANOS) {
        // Not retaken above. A thread blocked in a lock or a plain wait says so in its state; one
        // blocked in a native call (socket or file I/O through java.net or java.io) says RUNNABLE,
        // as a computing one does, and the unanswered request above retakes it, 10 ms after the
        // request. Its top frame is not sampled: a sample could not act sooner (it needs a second
        // one to tell a blocked call from a short native method of computing code), and the first
        // one started Java's management beans, 25 ms and tens of classes, in any program whose
        // monitor once saw a slice late.
        Thread.State st = w.getState();
        if (st == Thread.State.BLOCKED
            || st == Thread.State.WAITING
            || st == Thread.State.TIMED_WAITING) {
          acted |= sched.retake(w);
        }
      }
    }
    return acted;
  }
}
