package dev.weft.core;

import dev.weft.SuspendableRunnable;
import dev.weft.frame.StackLimit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.security.PrivilegedAction;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The m:n scheduler: m fibers on n worker threads, after Go's {@code runtime/proc.go}. One per
 * process, created on first use.
 *
 * <h2>Model</h2>
 *
 * Go separates Ms (threads) from Ps (the right to run Go code, each with a run queue). Here a
 * {@link Worker} is both: it owns a local run queue and holds a <em>slot</em>, one of n = {@link
 * #procs} ({@code GOMAXPROCS}). A worker that blocks its thread inside a fiber slice (a pinned
 * fiber, a plain blocking call noticed by the {@link Monitor}) gives its slot up, and another
 * worker, started or taken from the spare list, takes it, as Go's handoffp does. Its run queue
 * moves to the global queue, and what it readies until it is back goes there too, so nothing
 * waits behind it. When the blocked worker returns, it finishes its slice (it cannot leave
 * mid-slice: the fiber is on its thread's stack), then takes a free slot or, when there is none,
 * becomes a spare. The monitor retakes the slot of a fiber that computes without answering a
 * preemption request the same way (inside {@code synchronized}, below an uninstrumented frame),
 * and that fiber computes on, on its own thread. So n bounds the workers that take fibers to run,
 * not the threads running fiber code: more than n run at once during a blocked slice's tail after
 * its call returns, and while a retaken fiber computes on.
 *
 * <h2>Where runnable fibers wait</h2>
 *
 * <ul>
 *   <li>a worker's runNext slot: a fiber readied by the fiber running there (unpark, or go), which
 *       runs next, on the same worker: the ping-pong fast path;
 *   <li>a worker's ring of 256 ({@link RunQueue}), lock-free, stolen from by half;
 *   <li>the global queue ({@link GlobalQueue}), under a lock: fibers readied by plain threads and
 *       timers on the monitor, and the overflow of full rings. Workers look at it when their own
 *       queue is empty and, for fairness, every 61st pick.
 * </ul>
 *
 * <h2>Finding work and parking (Go's findRunnable)</h2>
 *
 * A worker fires its own due timers (no more than its ring has room for beside a reserve, so that
 * they stay in deadline order), then takes runNext, then its ring, then the global queue, then
 * fires every worker's due timers; every other pick a fiber that ran before and waits in the
 * global queue goes ahead of runNext and the ring (see {@link GlobalQueue}). Failing that it may
 * become <em>spinning</em> (at most half of the busy workers spin) and steal half of a
 * random victim's queue, four rounds. Failing that it parks in the idle list; an idle program uses
 * no CPU at all.
 *
 * <h2>Waking (Go's wakep), and why no wake-up is lost</h2>
 *
 * Whoever makes a fiber runnable calls {@link #wakeIdle()}: when no worker is spinning and there is
 * an idle worker or a free slot, it makes one worker spinning (CAS of nSpinning from 0 to 1, then
 * unpark or start a thread). A spinning worker that finds work stops spinning and, if it was the
 * last, calls wakeIdle itself, so parallelism ramps up one worker at a time and a burst never wakes
 * every thread. The race that matters: a fiber is published just as the last spinner gives up.
 * For the global queue, which nobody owns, both sides do "write, full fence, read": the publisher
 * writes the queue and fences, then reads nSpinning; the spinner decrements nSpinning atomically,
 * then reads every queue. One of them sees the other, so either the spinner finds the fiber or the
 * publisher wakes a worker. A worker readying a fiber into its own queue skips the fence: that
 * fiber cannot be lost (the worker runs it at the latest when its slice ends, and the queue of a
 * worker that blocks in its slice moves to the global queue), so a stale read there only delays
 * help.
 *
 * <p>Two cases wake nobody at all, because the fiber will run here almost at once and a thread
 * wake-up (microseconds) would cost far more than the hand-off (tens of nanoseconds): a fiber that
 * fills the empty runNext slot (the running fiber is about to park, as in every channel hand-off),
 * and a fiber that yields with nothing else queued. If the running fiber goes on computing
 * instead, the monitor wakes a worker for a queue that waited a whole cycle beside an idle one.
 *
 * <h2>Blocking, preemption, timers, deadlock</h2>
 *
 * See {@link Monitor} (Go's sysmon: compensation for blocked workers and for fibers that do not
 * answer a preemption request, time-slice preemption, which the agent's loop checks read once
 * every 128 back-edges),
 * {@link Timers} (a heap per worker, fired by its worker at each pick, by idle workers and, for
 * a stalled worker, by the monitor) and {@link DeadlockDetector} (Go's checkdead, run by the
 * monitor at quiescence).
 *
 * <h2>Counters and locks</h2>
 *
 * {@code nActive} (workers holding a slot), {@code nSpinning} and {@code nBlocked} are atomics;
 * {@code nIdle}, the idle list and the spare list change only under {@link #idleLock}. The idle
 * lock is never held while parking or while running fiber code.
 */
final class Scheduler {
  /** The most workers {@link #setMaxProcs} accepts: far above any useful parallelism. */
  static final int MAX_PROCS = 10_000;

  private static final VarHandle ACTIVE;
  private static final VarHandle SPINNING;
  private static final VarHandle BLOCKED;
  private static final VarHandle EPOCH;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      ACTIVE = l.findVarHandle(Scheduler.class, "nActive", int.class);
      SPINNING = l.findVarHandle(Scheduler.class, "nSpinning", int.class);
      BLOCKED = l.findVarHandle(Scheduler.class, "nBlocked", int.class);
      EPOCH = l.findVarHandle(Scheduler.class, "externalEpoch", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static volatile Scheduler instance;

  final GlobalQueue global = new GlobalQueue();
  final Timers timers = new Timers(this);
  final FiberRegistry registry = new FiberRegistry();
  final Monitor monitor;
  final long workerStack;

  /**
   * The group of the scheduler's threads, under the top-level group: not under whatever group the
   * thread that happened to start a worker belongs to, which may go away with it.
   */
  final ThreadGroup threads;

  /** n, Go's GOMAXPROCS. */
  volatile int procs;

  /** Workers holding a slot (running, spinning or idle). */
  private volatile int nActive;
  /** Workers looking for work to steal. */
  private volatile int nSpinning;
  /** Workers in a slice that blocks their thread, whose slot went to another worker. */
  private volatile int nBlocked;
  /** Idle workers (holding a slot, parked); changed under {@link #idleLock}. */
  volatile int nIdle;
  /** Bumped when a thread that is not a worker readies a fiber; see DeadlockDetector. */
  private volatile long externalEpoch;
  /** Every worker thread that has not exited; copy-on-write under {@link #idleLock}. */
  volatile Worker[] workers = new Worker[0];

  final Object idleLock = new Object();
  private Worker[] idle = new Worker[8];
  private Worker[] spares = new Worker[8];
  private int nSpares;
  private int nextWorkerId;

  private Scheduler(int procs, long workerStack) {
    this.procs = procs;
    this.workerStack = workerStack;
    ThreadGroup top = Thread.currentThread().getThreadGroup();
    while (top.getParent() != null) {
      top = top.getParent();
    }
    this.threads = new ThreadGroup(top, "weft");
    this.monitor = new Monitor(this);
  }

  /** The process's scheduler, created on first use. */
  static Scheduler get() {
    Scheduler s = instance;
    return s != null ? s : create();
  }

  /**
   * 128 MB: a million rewritten frames of recursion in a fiber, ten times SPEC section 5's
   * 100,000, while a runaway recursion fails in about a second and under 1 GB, as Go's does. The
   * JVM touches every page of a thread stack that a recursion reaches, and slowly: at 1 GB a
   * runaway took 12 s and 7 GB resident (docs/scheduler.md has the measurements).
   */
  static final long DEFAULT_WORKER_STACK = 128L << 20;

  private static synchronized Scheduler create() {
    if (instance == null) {
      // Read the settings first: a bad -D option throws here, every time, with what to fix.
      int n = Procs.configured();
      Fiber.checkModeProperties();
      long stack = StackLimit.fromProperty("weft.worker.stack", DEFAULT_WORKER_STACK);
      Uncaught.policy();
      instance = new Scheduler(n, stack);
    }
    return instance;
  }

  /** The scheduler if it exists, without creating it. */
  static Scheduler peek() {
    return instance;
  }

  // ---------------------------------------------------------------------------------------------
  // Fibers in.

  /** Starts a new fiber running {@code task}. */
  Fiber go(SuspendableRunnable task) {
    Fiber f = new Fiber(task);
    start(f);
    return f;
  }

  /** Registers a new fiber and makes it runnable. */
  void start(Fiber f) {
    registry.register(f);
    ready(f);
  }

  /**
   * Makes a fiber that was just set ACTIVE runnable: into the current worker's runNext when a
   * worker readies it (it runs next, here), else into the global queue. Then wakes a worker if
   * needed. Allocation-free.
   */
  void ready(Fiber f) {
    ready(f, true);
  }

  /**
   * As {@link #ready(Fiber)}; with {@code next} false a worker queues the fiber at the back of its
   * ring instead, which keeps fibers whose timers fire together in deadline order.
   */
  void ready(Fiber f, boolean next) {
    Thread t = Thread.currentThread();
    if (t instanceof Worker) {
      readyFrom((Worker) t, f, next);
    } else {
      readyGlobal(f);
    }
  }

  /** As {@link #ready(Fiber, boolean)}, called on worker {@code w}'s own thread. */
  void readyFrom(Worker w, Fiber f, boolean next) {
    // A worker that blocked in its slice gave its slot up: what it readies goes global.
    if (w.status == Worker.RUNNING) {
      // A fiber that only fills the empty runNext slot wakes nobody: it runs here as soon as the
      // running fiber parks or yields, which in a hand-off (a channel send, an unpark before a
      // wait) is at once, and waking an idle worker to find nothing costs more than the whole
      // hand-off. If the running fiber goes on instead, the monitor notices a queue that waits
      // beside an idle worker and wakes one (see Monitor). No fence before wakeIdle's reads: a
      // fiber in our own queue is never lost (we run it at the latest); a stale read only delays
      // another worker's help.
      if (w.runq.put(f, next, global)) {
        wakeIdle();
      }
      return;
    }
    readyGlobal(f);
  }

  /** From a plain thread, the monitor, or a worker that gave its slot up: the global queue. */
  private void readyGlobal(Fiber f) {
    EPOCH.getAndAdd(this, 1L);
    global.put(f); // a monitor exit, then a volatile read in wakeIdle: a full fence
    VarHandle.fullFence();
    wakeIdle();
  }

  /** Called by a thread that is not a worker before it wakes a parked fiber. */
  void externalWake() {
    EPOCH.getAndAdd(this, 1L);
  }

  long externalEpoch() {
    return externalEpoch;
  }

  /** Wakes the worker blocked in a pinned park of {@code f}: the one whose running fiber it is. */
  void wakePinned(Fiber f) {
    for (Worker w : workers) {
      if (w.running() == f) {
        LockSupport.unpark(w);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Waking workers (Go's wakep / startm).

  /**
   * Makes sure a worker will look for the work just published: when none is spinning and one
   * could, makes one spinning. The fast path is two or three volatile reads.
   */
  void wakeIdle() {
    if (nSpinning != 0) {
      return;
    }
    if (nIdle == 0 && nActive >= procs) {
      return;
    }
    if (!SPINNING.compareAndSet(this, 0, 1)) {
      return;
    }
    startSpinner();
  }

  /** With nSpinning already counting it, wakes an idle worker, reuses a spare or starts one. */
  private void startSpinner() {
    Worker w;
    boolean create = false;
    synchronized (idleLock) {
      w = popIdle();
      if (w == null) {
        if (!tryTakeSlot()) {
          SPINNING.getAndAdd(this, -1);
          return;
        }
        w = popSpare();
        if (w == null) {
          create = true;
          w = newWorker();
        }
      }
      w.spinning = true;
    }
    if (create) {
      try {
        w.start();
      } catch (Throwable e) {
        // No thread to be had (the OS limit): undo, and let the workers there are do the work.
        synchronized (idleLock) {
          workerGone(w);
        }
        releaseSlot();
        SPINNING.getAndAdd(this, -1);
        RuntimeLog.log(
            RuntimeLog.RUNTIME,
            System.Logger.Level.WARNING,
            "WARNING: Weft could not start a worker thread: " + e,
            null);
      }
    } else {
      w.wake();
    }
  }

  private Worker newWorker() {
    Worker w = makeWorker(nextWorkerId++);
    Worker[] ws = Arrays.copyOf(workers, workers.length + 1);
    ws[ws.length - 1] = w;
    workers = ws;
    return w;
  }

  /** A new worker thread, not started and not listed, that keeps nothing of its maker. */
  Worker makeWorker(int id) {
    return DetachedThreads.make(
        new PrivilegedAction<Worker>() {
          @Override
          public Worker run() {
            return new Worker(Scheduler.this, id, workerStack);
          }
        });
  }

  void workerStarted() {
    monitor.startOnce();
    wakeMonitor();
  }

  void workerExited(Worker w) {
    synchronized (idleLock) {
      workerGone(w);
    }
  }

  /** Under idleLock: drops a worker from the list. */
  private void workerGone(Worker w) {
    Worker[] ws = workers;
    for (int i = 0; i < ws.length; i++) {
      if (ws[i] == w) {
        Worker[] fewer = new Worker[ws.length - 1];
        System.arraycopy(ws, 0, fewer, 0, i);
        System.arraycopy(ws, i + 1, fewer, i, ws.length - i - 1);
        workers = fewer;
        return;
      }
    }
  }

  void wakeMonitor() {
    monitor.wakeIfParked();
  }

  // ---------------------------------------------------------------------------------------------
  // Idle and spare lists (under idleLock).

  void pushIdle(Worker w) {
    if (nIdle == idle.length) {
      idle = Arrays.copyOf(idle, idle.length * 2);
    }
    idle[nIdle] = w;
    nIdle = nIdle + 1;
  }

  private Worker popIdle() {
    int n = nIdle;
    if (n == 0) {
      return null;
    }
    Worker w = idle[--n];
    idle[n] = null;
    nIdle = n;
    w.status = Worker.RUNNING;
    return w;
  }

  /**
   * Takes an idle worker off the idle list by its own hand (a timer is due, or it saw work while
   * giving up spinning).
   *
   * @return false when a waker already took it off: its wake() is coming
   */
  boolean leaveIdle(Worker w) {
    synchronized (idleLock) {
      if (w.status != Worker.IDLE) {
        return false;
      }
      int n = nIdle;
      for (int i = 0; i < n; i++) {
        if (idle[i] == w) {
          idle[i] = idle[n - 1];
          idle[n - 1] = null;
          nIdle = n - 1;
          w.status = Worker.RUNNING;
          return true;
        }
      }
      return false;
    }
  }

  void pushSpare(Worker w) {
    synchronized (idleLock) {
      if (nSpares == spares.length) {
        spares = Arrays.copyOf(spares, spares.length * 2);
      }
      spares[nSpares++] = w;
    }
  }

  private Worker popSpare() {
    if (nSpares == 0) {
      return null;
    }
    Worker w = spares[--nSpares];
    spares[nSpares] = null;
    w.status = Worker.RUNNING;
    return w;
  }

  /** Removes a spare that timed out; false when it was just reused. */
  boolean removeSpare(Worker w) {
    synchronized (idleLock) {
      for (int i = 0; i < nSpares; i++) {
        if (spares[i] == w) {
          spares[i] = spares[--nSpares];
          spares[nSpares] = null;
          return true;
        }
      }
      return false;
    }
  }

  /** After dropping spinning: is there anything a worker could run? */
  boolean anyWork(Worker self) {
    if (!global.isEmpty()) {
      return true;
    }
    for (Worker v : workers) {
      if (v != self && !v.runq.isEmpty()) {
        return true;
      }
    }
    return !self.runq.isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Slots.

  int nActive() {
    return nActive;
  }

  int nSpinning() {
    return nSpinning;
  }

  int nBlocked() {
    return nBlocked;
  }

  /** @return the new count */
  int addSpinning(int delta) {
    return (int) SPINNING.getAndAdd(this, delta) + delta;
  }

  void addBlocked(int delta) {
    BLOCKED.getAndAdd(this, delta);
  }

  /** Takes a free slot if there is one. */
  boolean tryTakeSlot() {
    for (; ; ) {
      int a = nActive;
      if (a >= procs) {
        return false;
      }
      if (ACTIVE.compareAndSet(this, a, a + 1)) {
        return true;
      }
    }
  }

  void releaseSlot() {
    ACTIVE.getAndAdd(this, -1);
  }

  /**
   * Gives up {@code w}'s slot when there are more than n (after setMaxProcs shrank). Its queue goes
   * to the global queue; findRunnable then parks it as a spare.
   */
  boolean tryRetire(Worker w) {
    for (; ; ) {
      int a = nActive;
      if (a <= procs) {
        return false;
      }
      if (ACTIVE.compareAndSet(this, a, a - 1)) {
        break;
      }
    }
    if (!w.casStatus(Worker.RUNNING, Worker.SPARE)) {
      // The monitor took the slot meanwhile (status BLOCKED): it already counted it out.
      ACTIVE.getAndAdd(this, 1);
      return false;
    }
    w.runq.drainTo(global);
    timers.slotGivenUp(w);
    VarHandle.fullFence();
    wakeIdle();
    return true;
  }

  /**
   * The calling worker is about to block its thread in a fiber slice (a pinned park): hand its slot
   * to another worker so runnable fibers do not wait behind it.
   */
  void enterBlocking(Worker w) {
    if (w.casStatus(Worker.RUNNING, Worker.BLOCKED)) {
      handOff(w);
    }
  }

  /**
   * The monitor saw {@code w} blocked in its slice for too long: take its slot away (Go's retake).
   */
  boolean retake(Worker w) {
    if (!w.casStatus(Worker.RUNNING, Worker.BLOCKED)) {
      return false;
    }
    handOff(w);
    return true;
  }

  /**
   * Gives a blocked worker's slot and queue away, as Go's handoffp gives away the P of a thread in
   * a system call: the queue goes to the global queue, where every worker looks, rather than
   * waiting for a thief (a busy worker never steals).
   */
  private void handOff(Worker w) {
    BLOCKED.getAndAdd(this, 1);
    ACTIVE.getAndAdd(this, -1);
    w.runq.drainTo(global);
    VarHandle.fullFence(); // the global queue was written: the wake-up protocol's fence
    if (!global.isEmpty() || timers.earliest() != TimerHeap.NONE || anyQueued()) {
      wakeIdle();
    }
  }

  private boolean anyQueued() {
    for (Worker v : workers) {
      if (!v.runq.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The blocking call of a pinned park returned. The worker finishes its slice; findRunnable then
   * takes a slot back or parks it as a spare. When that leaves more than n workers running, ask the
   * fiber to yield soon.
   */
  void exitBlocking(Worker w) {
    if (w.status == Worker.BLOCKED && nActive >= procs) {
      Fiber f = w.running();
      if (f != null) {
        f.requestPreempt();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Timers.

  /**
   * A timer was added where no worker may be watching (by a plain thread, or the monitor): make an
   * idle worker look at the timers (it becomes the timer waiter), or start one.
   */
  void timerNeedsWatcher() {
    if (!pokeIdle()) {
      VarHandle.fullFence();
      wakeIdle(); // no idle worker: start one if a slot is free (busy ones check every 61 picks)
    }
    wakeMonitor();
  }

  /** Unparks an idle worker without taking it off the list: it re-reads the timers. */
  boolean pokeIdle() {
    Worker w;
    synchronized (idleLock) {
      w = nIdle > 0 ? idle[nIdle - 1] : null;
    }
    if (w != null) {
      w.poke();
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Parallelism.

  /**
   * Go's runtime.GOMAXPROCS: sets n and returns the previous n; {@code n < 1} only queries. More
   * slots are filled as work appears; fewer are given up by workers at their next pick.
   */
  int setMaxProcs(int n) {
    if (n > MAX_PROCS) {
      throw new IllegalArgumentException(
          "setMaxProcs("
              + n
              + "): at most "
              + MAX_PROCS
              + " workers; use a number from 1 to "
              + MAX_PROCS
              + " (or less than 1 to only read the current value)");
    }
    int old = procs;
    if (n < 1) {
      return old;
    }
    procs = n;
    if (n > old) {
      VarHandle.fullFence();
      if (!global.isEmpty() || anyQueued()) {
        wakeIdle();
      }
    } else if (n < old) {
      // Idle workers above n retire now; busy ones at their next pick, which a preemption
      // request brings within one loop turn of a computing fiber.
      synchronized (idleLock) {
        while (nActive > procs && nIdle > 0) {
          Worker w = popIdle();
          w.wake(); // RUNNING again: its findRunnable sees nActive > procs and retires
        }
      }
      if (nActive > procs) {
        for (Worker w : workers) {
          Fiber f = w.running();
          if (f != null) {
            f.requestPreempt();
          }
        }
      }
    }
    return old;
  }

  /** A short description for dumps. */
  String describe() {
    return "procs="
        + procs
        + " workers="
        + workers.length
        + " active="
        + nActive
        + " idle="
        + nIdle
        + " spinning="
        + nSpinning
        + " blocked="
        + nBlocked
        + " global="
        + global.size()
        + " timers="
        + timers.size();
  }
}
