package dev.weft.core;

import dev.weft.SuspendableRunnable;
import dev.weft.frame.Carrier;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A worker thread: Go's M and P in one. It owns a local {@link RunQueue} and runs fibers from it,
 * from the global queue and from other workers' queues, one slice at a time, until there is
 * nothing left to run; then it parks. See {@link Scheduler} for the whole algorithm.
 *
 * <h2>The switch path</h2>
 *
 * {@code unpark()} of a fiber by the running fiber puts it in this worker's runNext slot; when the
 * running fiber parks, its entry method returns to {@link #runSlice}, which takes runNext and
 * re-invokes that fiber's entry with {@code REWINDING}. That path allocates nothing and takes no
 * lock; its atomic operations are the unpark CAS and the park CAS on the fibers' state words and
 * the runNext CAS on take, each needed (see {@link Fiber} and {@link RunQueue}). Everything else
 * is a plain or release store: runNext's put when the slot is empty, the end of the unwind, the
 * slice counter the monitor reads. No fence: a fiber readied into this worker's own queue cannot be
 * lost, since this worker runs it at the latest, so the wake-up protocol only needs fences where a
 * fiber goes to the global queue.
 */
final class Worker extends Carrier {
  /** Holding a slot: running a slice, looking for work, or about to park as idle. */
  static final int RUNNING = 0;
  /** Holding a slot, parked in the idle list. Changed only under the scheduler's idle lock. */
  static final int IDLE = 1;
  /** In a slice that blocks its thread; its slot went to another worker. */
  static final int BLOCKED = 2;
  /** No slot; parked in the spare list, to be reused or to exit. */
  static final int SPARE = 3;
  /** Exited. */
  static final int EXITED = 4;

  private static final VarHandle STATUS;
  private static final VarHandle SLICES;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      STATUS = l.findVarHandle(Worker.class, "status", int.class);
      SLICES = l.findVarHandle(Worker.class, "slices", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Go's schedtick % 61: a prime, so it does not fall into step with the program's own loops. */
  private static final int FAIRNESS_PERIOD = 61;

  /**
   * How long a thief sleeps before it steals from a running worker (see {@link #steal}); the sleep
   * lasts at least the timer slack, tens of microseconds, which is what makes it work.
   */
  static final long STEAL_NAP_NANOS = 3_000;

  /**
   * The longest that sleep grows to while steals keep fetching less work than the sleep costs (see
   * {@link #nextStealNap}): a real backlog that meets a thief grown this sleepy waits this long
   * once.
   */
  static final long STEAL_NAP_MAX_NANOS = 1_000_000;

  /** How long a spare worker waits to be reused before its thread exits. */
  private static final long SPARE_KEEP_NANOS = 60_000_000_000L;

  final Scheduler sched;
  final int id;
  final RunQueue runq = new RunQueue();

  /** The timers this worker created; fired by it at each pick (see {@link Timers}). */
  final TimerHeap timers;

  /** Scratch for firing timers, this worker's own: firing allocates nothing. */
  final Timer[] timerBatch = new Timer[64];

  /** The clock at this worker's last read for its timers, and how many picks may skip the next. */
  long timerClockAt;

  int timerClockSkips;

  /** How many picks share one clock read while picks are quick (see {@link Timers#runOwn}). */
  int timerClockStride = 1;

  /**
   * Set by a pick that fired some of this worker's own timers ({@link Timers#runOwn}): the slice
   * that follows reads the heap's new top ahead ({@link TimerHeap#warmTop}). A slice after a pick
   * that fired nothing (a ping-pong's) pays one read of this flag and nothing else.
   */
  boolean warmTimers;

  /** What the last {@link TimerHeap#warmTop} read: kept only so that its reads are not dropped. */
  int timerWarmth;

  /** One of the constants above; CAS by this worker and the monitor, see {@link Scheduler}. */
  volatile int status = RUNNING;

  /**
   * True while this worker is counted in {@code nSpinning}. Written by this worker, or by the waker
   * before it sets {@link #notified} (which publishes it).
   */
  boolean spinning;

  /** Set by a waker before {@code LockSupport.unpark}; the park loop's condition. */
  volatile boolean notified;

  /** Picks left until the next one looks at the global queue first (Go's 61-tick fairness rule). */
  private int fairness = FAIRNESS_PERIOD;

  /** Slices started; read by the monitor to tell a long slice from many short ones. */
  @SuppressWarnings("unused") // through SLICES
  private int slices;

  /**
   * This worker's sleep before a steal from a running worker (see {@link #nextStealNap}). This and
   * the two fields below are read and written by this worker's thread only: no ordering needed.
   */
  private long stealNapNanos = STEAL_NAP_NANOS;

  /** When this worker's last steal after a sleep returned; 0 once {@link #steal} has judged it. */
  private long napStealAt;

  /** How long the sleep before that steal lasted. */
  private long napLasted;

  /** xorshift state for random steal order. */
  private int seed;

  // Monitor-private bookkeeping (only the monitor thread touches these).
  int monSlices = -1;
  long monSince;
  boolean monPreempted;
  long monPreemptedAt;

  Worker(Scheduler sched, int id, long stackSize) {
    super(sched.threads, "weft-worker-" + id, stackSize);
    this.sched = sched;
    this.id = id;
    this.seed = id * 0x9E3779B9 | 1;
    this.timers = sched.timers.heapFor(this);
    setDaemon(true);
    // Not the context loader of whoever made the worker (a web application's, say): a worker
    // outlives its maker and would keep that loader, and every class it loaded, in memory.
    setContextClassLoader(ClassLoader.getSystemClassLoader());
  }

  /** The fiber this worker runs now, or null between slices (racy read from other threads). */
  Fiber running() {
    return (Fiber) frames;
  }

  int slices() {
    return (int) SLICES.getOpaque(this);
  }

  boolean casStatus(int expect, int update) {
    return STATUS.compareAndSet(this, expect, update);
  }

  /** Wakes this worker from its idle or spare park; the waker has already set its status. */
  void wake() {
    notified = true;
    poke();
  }

  /** Unparks this worker's thread, or wakes the selector it blocks in (see {@link NetPoller}). */
  void poke() {
    LockSupport.unpark(this);
    NetPoller.wakeIfPolling(this);
  }

  @Override
  public void run() {
    sched.workerStarted();
    try {
      for (; ; ) {
        Fiber f;
        try {
          f = findRunnable();
        } catch (Throwable t) {
          internalError(t);
          continue;
        }
        if (f == null) {
          return; // a spare that was not needed: the thread exits
        }
        runSlice(f);
      }
    } finally {
      status = EXITED;
      sched.workerExited(this);
      sched.timers.workerExited(this);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Running a fiber.

  /**
   * Runs one slice of {@code f}: from its first instruction or its last suspension until it parks,
   * yields or ends. Not instrumented (not suspendable): this is the bottom of every fiber's stack.
   */
  private void runSlice(Fiber f) {
    if (warmTimers) {
      // The next timer to fire and its fiber, read now: their misses overlap with this resume's.
      warmTimers = false;
      timerWarmth = timers.warmTop();
    }
    // Unparked while its previous worker was still saving its frames? Then wait for them.
    f.awaitUnwound();
    if (f.isDone()) {
      return; // its unwind failed (stack limit) after an unpark had already queued it
    }
    frames = f;
    SLICES.setOpaque(this, slices + 1);
    // A fresh fiber is created ARMED; a suspended one was left NORMAL by its unwind.
    boolean first = f.mode == Fiber.ARMED;
    if (!first) {
      f.mode = Fiber.REWINDING;
    }
    Throwable failure = null;
    try {
      f.task.run();
    } catch (Throwable t) {
      failure = t;
    }
    if (failure == null && f.mode == Fiber.UNWINDING) {
      f.mode = Fiber.NORMAL;
      frames = null;
      if (f.unwound(first)) {
        // A yield: to the back of our queue. Wake a worker only when there is more than this
        // fiber to run: alone, it simply goes on here, and a fiber yielding in a loop must not
        // cost a thread wake-up per yield. No fence: a fiber in our own queue is never lost.
        runq.put(f, false, sched.global);
        if (runq.size() > 1) {
          sched.wakeIdle();
        }
      }
      // else: parked, and possibly already resumed elsewhere; f must not be touched any more.
    } else {
      frames = null;
      finish(f, failure);
    }
  }

  private void finish(Fiber f, Throwable failure) {
    if (failure != null) {
      // The throwable may have escaped a wait (during its unwind, say): take the wait's nodes out
      // of their queues, so that no waker hands a value to a fiber that no longer exists.
      Object b = f.blocker();
      if (b instanceof Withdrawable) {
        try {
          ((Withdrawable) b).withdraw(f);
        } catch (Throwable t) {
          internalError(t);
        }
      }
    }
    SuspendableRunnable task = f.task;
    f.dropFrames();
    f.markDone();
    // The name is the registry slot, free again after unregister: read it first, and only for the
    // report that prints it, so that a fiber's ending allocates nothing.
    String name = failure != null && !(task instanceof MainCall) ? f.name() : null;
    sched.registry.unregister(f);
    if (task instanceof MainCall) {
      ((MainCall<?>) task).finished();
    } else if (failure != null) {
      Uncaught.report(name, failure, this);
    }
  }

  private void internalError(Throwable t) {
    RuntimeLog.log(RuntimeLog.RUNTIME, System.Logger.Level.ERROR, "Weft internal error in " + getName() + ": ", t);
  }

  // ---------------------------------------------------------------------------------------------
  // Finding work (Go's schedule() and findRunnable()).

  /**
   * Returns the next fiber to run, parking while there is none.
   *
   * @return null when this worker was retired and its thread must exit
   */
  private Fiber findRunnable() {
    Scheduler s = sched;
    for (; ; ) {
      if (status != RUNNING && !regainSlot()) {
        return null;
      }
      // setMaxProcs shrank: retire at the first pick, so that the new n holds from the moment
      // every busy worker has reached one (two plain reads on x86; tryRetire rarely runs).
      if (s.nActive() > s.procs && s.tryRetire(this)) {
        continue;
      }
      s.timers.runOwn(this); // Go's checkTimers: our due timers, before we take work
      Fiber f = --fairness == 0 ? fairPick() : localPick();
      if (f == null) {
        f = searchElsewhere();
      }
      if (f != null) {
        if (spinning) {
          resetSpinning();
        }
        return f;
      }
      if (status == RUNNING) {
        goIdle();
      }
    }
  }

  // The pick is cut in three methods so that the JIT compiles each on its own. Whole, it was one
  // large compiled unit with a hundred methods inlined, and each branch that a phase of the
  // program took for the first time (the last new fiber started, the first idle moment, the first
  // steal) threw all of it out and had it compiled again: six compiles, 0.41 to 0.58 s of C2 in
  // all, in a timer benchmark's 3 s at procs=2. C2 still inlines the three parts (they are
  // small), so the traps remain, but each recompiles a smaller unit: 0.22 to 0.31 s.

  /**
   * The pick of every {@link #FAIRNESS_PERIOD}th time: the global queue and our ring get a turn
   * even when runNext chains (a ping-pong pair) or our ring would keep us busy forever. Also a
   * chance to fire the due timers nobody else is firing (the ownerless heap's) while everybody is
   * busy.
   */
  private Fiber fairPick() {
    fairness = FAIRNESS_PERIOD;
    Scheduler s = sched;
    s.timers.runUnowned(this);
    Fiber f = s.global.take(this, s.procs, 1);
    return f != null ? f : runq.take(true);
  }

  /**
   * Every other pick, a fiber that ran before and waits in the global queue (its timer fired by
   * the monitor, woken by a plain thread, moved out of a full ring) goes ahead of our own queue: it
   * was readied before what our timers keep adding there, and it must not wait for the 61st pick
   * (see GlobalQueue). One volatile read while there is none; every other pick only, so that a
   * plain thread that keeps readying fibers cannot starve our queue.
   */
  private Fiber localPick() {
    Fiber f = (fairness & 1) == 0 ? sched.global.takeResumed(this, sched.procs, 1) : null;
    return f != null ? f : runq.take(false);
  }

  /**
   * Nothing to run here: a batch from the global queue, then every heap's due timers, then the
   * network poller, then (spinning, as Go's findrunnable) another worker's queue.
   *
   * @return null when there is nothing anywhere, after which the worker goes idle
   */
  private Fiber searchElsewhere() {
    Scheduler s = sched;
    Fiber f = s.global.take(this, s.procs, RunQueue.CAPACITY / 2);
    if (f == null && s.timers.runAll(this)) {
      f = runq.take(false);
      if (f == null) {
        f = s.global.take(this, s.procs, RunQueue.CAPACITY / 2);
      }
    }
    if (f == null && pollNetwork() > 0) {
      f = runq.take(false);
    }
    if (f == null && (spinning || 2 * s.nSpinning() < s.nActive() - s.nIdle)) {
      if (!spinning) {
        spinning = true;
        s.addSpinning(1);
      }
      f = steal();
    }
    return f;
  }

  /** Go's resetspinning: the last spinner to find work starts another, in case there is more. */
  private void resetSpinning() {
    spinning = false;
    if (sched.addSpinning(-1) == 0) {
      sched.wakeIdle();
    }
  }

  /**
   * Steals half of another worker's queue; four rounds in random order, as Go does, the last one
   * also taking a runNext slot. Before its first steal from a worker that is running a fiber, the
   * thief sleeps once: at least {@link #STEAL_NAP_NANOS}, which lasts the timer slack, tens of
   * microseconds, and longer while its steals keep fetching little work ({@link #nextStealNap}).
   */
  private Fiber steal() {
    if (napStealAt != 0) {
      judgeLastSteal();
    }
    Worker[] ws = sched.workers;
    int n = ws.length;
    boolean napped = false;
    long napFrom = 0;
    for (int round = 0; round < 4; round++) {
      boolean last = round == 3;
      int start = nextRandom() % n;
      for (int i = 0; i < n; i++) {
        Worker v = ws[(start + i) % n];
        if (v == this) {
          continue;
        }
        if (!napped && v.running() != null && !v.runq.isEmpty()) {
          napped = true;
          // What a running worker holds it has most often just readied itself: the partners its
          // fiber woke through a channel. Taking them at once tears a hand-off across two cores,
          // and then every message moves the channel lock's cache line between them. Go's thief
          // sleeps usleep(3) before it takes a running P's runnext (runqgrab); Weft's sleeps
          // before it takes anything from a running worker, ring included: a fan-in's consumer
          // wakes its producers into runNext, each newer one pushing the last to the ring, and
          // a thief that emptied that ring at once kept the producers on the other core for
          // good (1.95 CPUs busy, a fifth of the rate of one core). With the sleep the owner runs
          // its partners itself most of the time, and the thief still takes half of a real
          // backlog after one sleep: a steal is rate-limited, not refused. Once per search,
          // so a thief that slept steals in its later rounds (and runNext in the last) at once.
          // The sleep grows while steals fetch less work than it costs (nextStealNap).
          napFrom = System.nanoTime();
          LockSupport.parkNanos(this, napBefore(napFrom));
        }
        Fiber f = v.runq.stealInto(runq, last);
        if (f != null) {
          if (napped) {
            long now = System.nanoTime();
            napStealAt = now;
            napLasted = now - napFrom;
          }
          return f;
        }
      }
    }
    return null;
  }

  /**
   * How long to sleep before the steal, at {@code now}: {@link #stealNapNanos}, but no later than
   * this worker's own next timer (a sleeping thief fires none, and the monitor counts a worker
   * between slices as one that does), and only the least while sockets exist: the sleep is not in
   * the poller, so a socket made ready meanwhile would wait for its end.
   */
  private long napBefore(long now) {
    long nap = stealNapNanos;
    if (nap > STEAL_NAP_NANOS) {
      if (NetPoller.active() != null) {
        return STEAL_NAP_NANOS;
      }
      long d = timers.nextDeadline();
      if (d != TimerHeap.NONE) {
        nap = Math.max(STEAL_NAP_NANOS, Math.min(nap, d - now));
      }
    }
    return nap;
  }

  /**
   * Out of work again after a steal that followed a sleep: sets the next sleep ({@link
   * #nextStealNap}). One clock read per search, and only after such a steal.
   */
  private void judgeLastSteal() {
    long ran = System.nanoTime() - napStealAt;
    napStealAt = 0;
    stealNapNanos = nextStealNap(stealNapNanos, ran, napLasted);
  }

  /**
   * The sleep before the next steal from a running worker, given the current one, how long the
   * work of the last steal kept this worker busy ({@code ran}) and how long the sleep before that
   * steal really lasted ({@code napLasted}, the timer slack included).
   *
   * <p>Work that ran out sooner than the sleep that fetched it was not worth fetching. In a fan-in
   * (four producers parked on a full channel, the consumer waking them one by one into its own
   * worker's queue) that queue is never empty and never a backlog: a stolen producer sends a few
   * values and parks again, and meanwhile the two cores meet on the channel lock on every message,
   * at about half the rate of one core. So the sleep doubles, up to {@link #STEAL_NAP_MAX_NANOS},
   * and the partners stay together on one core for longer between steals. Stolen work that
   * outlasts its sleep (fibers that compute, a burst of requests) puts the sleep back to {@link
   * #STEAL_NAP_NANOS} at once: a real backlog meets one long sleep at most, and then is taken by
   * halves as before.
   */
  static long nextStealNap(long current, long ran, long napLasted) {
    return ran < napLasted ? Math.min(2 * current, STEAL_NAP_MAX_NANOS) : STEAL_NAP_NANOS;
  }

  private int nextRandom() {
    int x = seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    seed = x;
    return x & Integer.MAX_VALUE;
  }

  /**
   * Parks as an idle worker until there is work; the other half of the wake-up protocol of {@link
   * Scheduler#wakeIdle()}.
   */
  private void goIdle() {
    Scheduler s = sched;
    if (s.nActive() > s.procs && s.tryRetire(this)) {
      return; // setMaxProcs shrank: findRunnable parks us as a spare
    }
    synchronized (s.idleLock) {
      if (!s.global.isEmpty()) {
        return; // loop again: a plain thread queued something
      }
      if (!casStatus(RUNNING, IDLE)) {
        return; // the monitor took our slot; findRunnable sorts it out
      }
      s.pushIdle(this);
    }
    if (spinning) {
      spinning = false;
      // An atomic decrement, then a re-check of every queue: a fiber published before the
      // decrement is seen below, one published after it sees nSpinning == 0 and wakes a worker
      // (Go's "StoreLoad" between dropping spinning and checking the run queues).
      s.addSpinning(-1);
      if (s.anyWork(this) && s.leaveIdle(this)) {
        spinning = true;
        s.addSpinning(1);
        return;
      }
    } else if (!s.global.isEmpty() && s.leaveIdle(this)) {
      // The global queue is filled under its own lock, not ours: a plain thread may have queued a
      // fiber after our check above and read nIdle before our push. Both sides write, then read
      // the other's volatile (nIdle here, the queue's size there), so one of them sees the other.
      return;
    }
    parkIdle();
  }

  /**
   * The idle park. One idle worker at a time is the timer waiter: it sleeps only until the earliest
   * timer of all heaps and then leaves the idle list to fire it; the others sleep until woken (see
   * {@link Timers} for why no timer is missed).
   */
  private void parkIdle() {
    forgetPassThrough(); // an idle worker keeps no application's classes reachable
    Timers all = sched.timers;
    boolean timerWaiter = false;
    while (!notified) {
      if (!timerWaiter && all.earliest() != TimerHeap.NONE) {
        timerWaiter = all.becomeWaiter(this);
      }
      long deadline = timerWaiter ? all.waiterDeadline() : TimerHeap.NONE;
      if (deadline == TimerHeap.NONE) {
        idleWait(0);
      } else {
        long now = System.nanoTime();
        if (Timer.before(now, deadline)) {
          idleWait(Timers.idleSleepNanos(deadline, now));
        } else if (sched.leaveIdle(this)) {
          break; // a timer is due: findRunnable fires it
        } else {
          // Taken off the idle list by a waker: its wake() is on the way.
          while (!notified) {
            LockSupport.park(this);
          }
        }
      }
      // Interrupts mean nothing to a worker (fibers cannot be interrupted): clear them so that
      // park does not return at once forever.
      Thread.interrupted();
    }
    if (timerWaiter) {
      all.resignWaiter(this);
    }
    notified = false;
    sched.wakeMonitor();
  }

  /** Out of work: ready the fibers whose sockets are ready, without blocking (Go's netpoll(0)). */
  private static int pollNetwork() {
    NetPoller p = NetPoller.active();
    return p == null ? 0 : p.pollNonBlocking();
  }

  /** The idle wait: blocks in the network poller when sockets exist, else parks. 0: no timeout. */
  private void idleWait(long nanos) {
    NetPoller p = NetPoller.active();
    if (p == null || !p.pollIdle(this, nanos)) {
      if (nanos == 0) {
        LockSupport.park(this);
      } else {
        LockSupport.parkNanos(this, nanos);
      }
    }
  }

  /**
   * After a slice that blocked its thread (status BLOCKED), or after a spare's wake-up: takes a
   * slot if one is free, else hands this worker's queue to the global queue and becomes a spare.
   *
   * @return false when the thread must exit
   */
  private boolean regainSlot() {
    Scheduler s = sched;
    for (; ; ) {
      int st = status;
      if (st == RUNNING) {
        return true;
      }
      if (st == BLOCKED) {
        if (s.tryTakeSlot()) {
          if (casStatus(BLOCKED, RUNNING)) {
            s.addBlocked(-1);
            return true;
          }
          s.releaseSlot();
          continue;
        }
        if (!casStatus(BLOCKED, SPARE)) {
          continue;
        }
        s.addBlocked(-1);
        runq.drainTo(s.global);
        s.timers.slotGivenUp(this);
        s.wakeIdle();
      }
      // SPARE: retired by setMaxProcs, or no slot after blocking.
      if (!parkSpare()) {
        return false;
      }
    }
  }

  /**
   * Parks in the spare list (status SPARE) until reused or until {@link #SPARE_KEEP_NANOS} pass.
   *
   * @return false when nobody needed this worker: its thread exits
   */
  private boolean parkSpare() {
    Scheduler s = sched;
    if (spinning) {
      spinning = false;
      s.addSpinning(-1);
    }
    s.pushSpare(this);
    forgetPassThrough();
    long deadline = System.nanoTime() + SPARE_KEEP_NANOS;
    while (!notified) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        if (s.removeSpare(this)) {
          return false;
        }
        left = 1_000_000; // popped meanwhile: its wake() is on the way
      }
      LockSupport.parkNanos(this, left);
      Thread.interrupted();
    }
    notified = false;
    s.wakeMonitor();
    return true;
  }
}
