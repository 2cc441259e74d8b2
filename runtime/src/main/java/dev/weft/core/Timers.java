package dev.weft.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The scheduler's timers, after Go 1.14: one {@link TimerHeap} per worker, plus one for timers
 * made outside any worker (a plain thread's {@code Weft.after}, a ticker fired by the monitor). No
 * thread per timer and no global lock: a timer goes into the heap of the worker that creates it,
 * and is fired by whoever finds it due.
 *
 * <h2>Who fires what</h2>
 *
 * <ul>
 *   <li>A worker fires its own due timers at every pick of the next fiber to run ({@link
 *       #runOwn}; Go's checkTimers in schedule): one volatile read while its heap is empty, and a
 *       clock read otherwise, shared by up to 16 picks while picks are quick and no deadline is
 *       near ({@link #CLOCK_WINDOW_NANOS}), or while the earliest was due at the last read already
 *       (a worker behind on its timers). The fibers those timers wake go to the back of its own
 *       run queue, in deadline order, no more than it has room for beside a reserve that the
 *       fibers it runs next can ready into ({@link #firingRoom}; the rest stay due).
 *   <li>A worker that finds nothing to run fires every heap's due timers before it steals or goes
 *       idle ({@link #runAll}; Go's stealWork runs other Ps' timers). Every 61st pick a worker
 *       fires those of the heaps no running worker owns ({@link #runUnowned}), which serves the
 *       ownerless heap while everybody is busy.
 *   <li>One idle worker at a time is the <em>timer waiter</em>: it sleeps until the earliest
 *       deadline of all heaps ({@link #waiterDeadline}), then leaves the idle list and fires them
 *       (as Go's netpoller thread sleeps until the earliest timer). The others sleep until woken.
 *   <li>A worker that gives up its slot for good (a spare, an exited thread) moves its timers to
 *       the ownerless heap, which every running worker also looks at in each pick ({@link
 *       #slotGivenUp}; Go moves a destroyed P's timers).
 *   <li>The monitor fires the due timers of a heap whose owner cannot: one in a slice longer than
 *       {@link #STALL_NANOS} or blocked in a pinned or plain blocking call, and the ownerless
 *       heap while no worker picks, once they are {@link #STALL_NANOS} overdue ({@link
 *       #runStalled}; Go's sysmon starts an M for overdue timers).
 * </ul>
 *
 * <h2>Why no wake-up is lost</h2>
 *
 * A timer added to a heap becomes due without anybody being told only when somebody already
 * watches it: its owner (it checks its heap at each pick and before it parks), or the timer waiter
 * (it sleeps only until the earliest deadline it read), or the monitor (for the stalled cases).
 * The one race is an add that makes a new earliest deadline while the waiter sleeps until a later
 * one. Every step below is a volatile access, so they are sequentially consistent:
 *
 * <pre>
 *   waiter:  W1 waiter = me (CAS)  W2 until = NONE  W3 read every heap's next  W4 until = min  park
 *   adder:   A1 heap.next = d  A2 read waiter  A3 read until; unpark the waiter if d is before it
 * </pre>
 *
 * If A1 comes before W3, the waiter sees d. Otherwise W2 comes before A1, so A3 reads NONE (and
 * unparks) or the min of W4, which did not include d: it unparks when d is earlier, and when it is
 * not the waiter wakes no later than d anyway. If A2 reads no waiter, A2 comes before W1, so W3
 * sees d; the adder then unparks an idle worker itself (one that has not become waiter yet
 * re-reads the heaps before it parks), or, with none idle, leaves the timer to its owner or to a
 * worker it wakes. A waiter that stops waiting (it was woken for work) clears {@code waiter} and
 * then, when any timer waits, unparks another idle worker to take over; an adder that read the old
 * waiter did A1 before that clearing, so the check sees its timer. {@code LockSupport}'s permit
 * makes an unpark that comes before the park count.
 *
 * <p>Cancelling ({@link #remove}) takes no lock and needs no wake-up: the worst a cancelled entry
 * does is wake its watcher once for nothing (see {@link TimerHeap}).
 */
final class Timers {
  /**
   * How long a heap's earliest timer may be overdue, with its owner unable to fire it, before the
   * monitor fires it. Short next to the monitor's own sleep when quiet (10 ms), long next to a
   * pick (microseconds), so that the monitor never races a worker that is keeping up.
   */
  static final long STALL_NANOS = 1_000_000L;

  /**
   * The grid the timer waiter's wake-ups are aligned to: one wake-up fires every timer due within
   * a grain, instead of one wake-up (a futex call and a context switch, microseconds of CPU) per
   * deadline. 10,000 sleepers expire 200,000 times a second, a few microseconds apart; at this
   * grain the idle worker wakes at most 4,000 times a second, at most a quarter of a millisecond
   * late. Go's idle sleep is coarser: its poller's timeout is in whole milliseconds. A busy worker
   * fires its own timers at every pick, to the nanosecond.
   */
  static final long IDLE_GRAIN_NANOS = 250_000L;

  /**
   * A busy worker's clock reads for its own timers: while its last read came less than this after
   * the one before, picks are quick (a ping-pong switches in tens of nanoseconds, and a clock read
   * costs about twenty), so up to {@link #MAX_CLOCK_STRIDE} picks share one read; a slower window
   * sets the stride back to one read a pick. A deadline within this window of the last read is
   * always checked with a fresh read. A timer is never fired early (only a reading taken at or after
   * its deadline fires it: a pick may reuse the last read for what was due by then), and is
   * late by at most one window of quick picks, or of slices the monitor watches (see {@link
   * #runStalled}).
   */
  static final long CLOCK_WINDOW_NANOS = 20_000L;

  static final int MAX_CLOCK_STRIDE = 16;

  /**
   * The slots of a worker's ring that its timers leave free: what the fibers it runs next ready
   * (a yield, a channel partner, a new fiber) goes there. A ring that the timers filled to the
   * last slot moves its older half, the earlier deadlines, to the global queue at the first such
   * ready, and the worker then serves the two halves alternately.
   */
  static final int READY_RESERVE = RunQueue.CAPACITY / 4;

  private static final VarHandle WAITER;

  static {
    try {
      WAITER = MethodHandles.lookup().findVarHandle(Timers.class, "waiter", Worker.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Scheduler sched;

  /** Timers made outside any worker. */
  final TimerHeap ownerless = new TimerHeap(null);

  /** Every heap: the ownerless one first, then each live worker's. Copy-on-write under this. */
  private volatile TimerHeap[] heaps = {ownerless};

  /** The idle worker sleeping until the earliest deadline, if any. */
  private volatile Worker waiter;

  /** When the waiter wakes up; {@link TimerHeap#NONE} while it is computing it, or sleeps on. */
  private volatile long waiterUntil = TimerHeap.NONE;

  /** The monitor's batch for firing (only the monitor thread uses it). */
  private final Timer[] monitorBatch = new Timer[64];

  Timers(Scheduler sched) {
    this.sched = sched;
  }

  // ---------------------------------------------------------------------------------------------
  // The API the rest of the runtime uses.

  /** Adds a new timer to the current worker's heap, or to the ownerless one on other threads. */
  void add(Timer t) {
    Thread current = Thread.currentThread();
    TimerHeap h =
        current instanceof Worker && ((Worker) current).sched == sched
            ? ((Worker) current).timers
            : ownerless;
    if (h.add(t)) {
      earliestAdded(h, t.deadline);
    }
  }

  /**
   * Cancels a timer, from any thread, without a lock.
   *
   * @return false when it had fired (or was firing), was cancelled already or was never added
   */
  boolean remove(Timer t) {
    return t.cancel();
  }

  /** True while {@code t} waits: added, neither fired nor cancelled. */
  boolean contains(Timer t) {
    return t.isWaiting();
  }

  /** True when no timer waits in any heap; what the deadlock detector asks. */
  boolean isEmpty() {
    for (TimerHeap h : heaps) {
      if (!h.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** Waiting timers in every heap (for dumps and tests). */
  int size() {
    int n = 0;
    for (TimerHeap h : heaps) {
      n += h.size();
    }
    return n;
  }

  /** The earliest deadline of every heap, or {@link TimerHeap#NONE}. */
  long earliest() {
    long min = TimerHeap.NONE;
    for (TimerHeap h : heaps) {
      long d = h.nextDeadline();
      if (d != TimerHeap.NONE && (min == TimerHeap.NONE || Timer.before(d, min))) {
        min = d;
      }
    }
    return min;
  }

  // ---------------------------------------------------------------------------------------------
  // Workers' heaps.

  /** A new worker's heap, listed before the worker can run anything. */
  TimerHeap heapFor(Worker w) {
    TimerHeap h = new TimerHeap(w);
    synchronized (this) {
      TimerHeap[] hs = Arrays.copyOf(heaps, heaps.length + 1);
      hs[hs.length - 1] = h;
      heaps = hs;
    }
    return h;
  }

  /**
   * A worker gave up its slot for good (it became a spare, or exited): its timers move to the
   * ownerless heap, which every running worker looks at in each pick, as Go moves a destroyed P's
   * timers. A worker blocked in a slice keeps its timers: it may be back in a moment, and until
   * then idle workers and the monitor fire them.
   */
  void slotGivenUp(Worker w) {
    long d = w.timers.moveTo(ownerless);
    if (d != TimerHeap.NONE) {
      // Nobody who watched them is told to stop: the waiter's deadline already counted them, and
      // running workers now see them at their next pick. Only an idle program needs a watcher.
      earliestAdded(ownerless, d);
    }
  }

  /** An exited worker's heap leaves the list, its timers moved first. */
  void workerExited(Worker w) {
    slotGivenUp(w);
    unlist(w.timers);
  }

  private synchronized void unlist(TimerHeap h) {
    TimerHeap[] hs = heaps;
    for (int i = 1; i < hs.length; i++) {
      if (hs[i] == h) {
        TimerHeap[] fewer = new TimerHeap[hs.length - 1];
        System.arraycopy(hs, 0, fewer, 0, i);
        System.arraycopy(hs, i + 1, fewer, i, hs.length - i - 1);
        heaps = fewer;
        return;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Firing.

  /**
   * At each pick: fires the worker's own due timers (Go's checkTimers), and the ownerless heap's,
   * which holds the timers of plain threads and of workers that gave up their slot. Two volatile
   * reads when both are empty, one clock read otherwise; allocation-free.
   *
   * @return true when at least one fired
   */
  boolean runOwn(Worker w) {
    TimerHeap h = w.timers;
    long next = h.nextDeadline();
    boolean own = next != TimerHeap.NONE;
    long nextUnowned = ownerless.nextDeadline();
    if (!own && nextUnowned == TimerHeap.NONE) {
      return false;
    }
    long now;
    if (w.timerClockSkips > 0) {
      long earliest = Math.min(next, nextUnowned);
      if (earliest - w.timerClockAt > CLOCK_WINDOW_NANOS) {
        w.timerClockSkips--; // picks are quick and nothing was due soon at the last read
        return false;
      }
      if (earliest - w.timerClockAt <= 0) {
        // Due at the last read already (a worker behind on its timers, where every pick finds
        // the top due): fire what was due then, without a fresh read. What fell due since waits
        // for the next read, at most a stride of quick picks away, as a skipped pick's would.
        w.timerClockSkips--;
        return fireOwn(w, h, own, w.timerClockAt);
      }
    }
    now = System.nanoTime();
    int stride = now - w.timerClockAt < CLOCK_WINDOW_NANOS ? w.timerClockStride << 1 : 1;
    stride = Math.min(stride, MAX_CLOCK_STRIDE);
    w.timerClockStride = stride;
    w.timerClockSkips = stride - 1;
    w.timerClockAt = now;
    return fireOwn(w, h, own, now);
  }

  /** {@link #runOwn}'s firing, with the clock reading {@code now}. */
  private boolean fireOwn(Worker w, TimerHeap h, boolean own, long now) {
    // No more than the run queue has room for: the fibers these timers wake go to its back, in
    // deadline order, and a full ring would move its older half (the earlier deadlines) to the
    // global queue, behind everything already there and after every later timer that fires into
    // the ring meanwhile. The rest stay due, in order, for the next pick.
    int room = firingRoom(w);
    int fired = own ? h.runDue(now, w.timerBatch, room) : 0;
    if (fired > 0) {
      w.warmTimers = true; // see TimerHeap, "Warming the next firing"
    }
    return fired + ownerless.runDue(now, w.timerBatch, room - fired) > 0;
  }

  /**
   * How many timers {@code w} fires now: its ring's room less {@link #READY_RESERVE}, but at least
   * one while the ring is not full, so that a worker whose queue stays long still fires a timer
   * at every pick rather than leaving them all to wait until it drains.
   */
  private static int firingRoom(Worker w) {
    int room = w.runq.room();
    return room > READY_RESERVE ? room - READY_RESERVE : Math.min(room, 1);
  }

  /**
   * Fires the due timers of every heap, the worker's own first: for a worker that found nothing to
   * run. Allocation-free.
   *
   * @return true when at least one fired
   */
  boolean runAll(Worker w) {
    return runOthers(w, true);
  }

  /**
   * Every 61st pick: fires the due timers of the heaps nobody is firing, the ownerless one and
   * those of workers without a slot, but not those of running workers, which fire their own (taking
   * them would only make the two fight over a heap's lock). Allocation-free.
   */
  boolean runUnowned(Worker w) {
    return runOthers(w, false);
  }

  private boolean runOthers(Worker w, boolean busyOnesToo) {
    TimerHeap[] hs = heaps;
    long now = 0;
    int room = firingRoom(w); // as in runOwn: what they wake stays in our queue, in order
    int fired = 0;
    if (w.timers.nextDeadline() != TimerHeap.NONE) {
      now = System.nanoTime();
      fired = w.timers.runDue(now, w.timerBatch, room);
    }
    for (TimerHeap h : hs) {
      if (h != w.timers
          && h.nextDeadline() != TimerHeap.NONE
          && (busyOnesToo || h.owner == null || h.owner.status != Worker.RUNNING)) {
        if (now == 0) {
          now = System.nanoTime();
        }
        fired += h.runDue(now, w.timerBatch, room - fired);
      }
    }
    return fired > 0;
  }

  /**
   * On the monitor: fires the timers, {@link #STALL_NANOS} overdue, of every heap whose owner
   * cannot (see the class comment).
   *
   * @return true when it did anything
   */
  boolean runStalled(long now) {
    boolean acted = false;
    for (TimerHeap h : heaps) {
      long d = h.nextDeadline();
      if (d == TimerHeap.NONE) {
        continue;
      }
      boolean served = h.owner == null ? anyWorkerKeepsUp(now) : ownerKeepsUp(h.owner, now);
      if (now - d >= STALL_NANOS && !served) {
        acted |= h.runDue(now, monitorBatch);
      }
    }
    return acted;
  }

  /** True when some worker picks fibers, and so fires the ownerless heap's timers soon. */
  private boolean anyWorkerKeepsUp(long now) {
    for (Worker w : sched.workers) {
      if (ownerKeepsUp(w, now)) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when {@code w} fires its own timers soon: it holds a slot and is not stuck in one slice
   * (the monitor's slice bookkeeping, see {@link Monitor}, is fresh: it ran just before).
   */
  private static boolean ownerKeepsUp(Worker w, long now) {
    if (w == null || w.status != Worker.RUNNING) {
      return false;
    }
    return w.running() == null
        || w.monSlices != w.slices()
        || now - w.monSince < STALL_NANOS;
  }

  // ---------------------------------------------------------------------------------------------
  // The timer waiter (see the class comment for the protocol).

  /** A heap's earliest deadline became {@code d}: make sure somebody watching it will wake. */
  private void earliestAdded(TimerHeap h, long d) {
    Worker tw = waiter;
    if (tw != null) {
      long until = waiterUntil;
      if (until == TimerHeap.NONE || Timer.before(d, until)) {
        tw.poke(); // it re-reads the heaps (it may be blocked in the network poller)
      }
      return;
    }
    Worker o = h.owner;
    if (o != null && o == Thread.currentThread() && o.status == Worker.RUNNING) {
      // Our own heap: we look at it at every pick and before we park. An idle worker is told
      // all the same, to watch it while we may be in a long slice; one that goes idle after the
      // read of nIdle reads the heaps before it parks.
      if (sched.nIdle > 0) {
        sched.pokeIdle();
      }
      return;
    }
    sched.timerNeedsWatcher();
  }

  /** An idle worker with timers to watch tries to become the waiter. */
  boolean becomeWaiter(Worker w) {
    return WAITER.compareAndSet(this, null, w);
  }

  /**
   * The waiter's deadline: publishes that it is looking, reads every heap, publishes what it
   * found. Returns {@link TimerHeap#NONE} when no timer is left.
   */
  long waiterDeadline() {
    waiterUntil = TimerHeap.NONE;
    long d = earliest();
    waiterUntil = d;
    return d;
  }

  /**
   * How long the waiter parks at {@code now} for a {@code deadline} ahead: until the first point of
   * the {@link #IDLE_GRAIN_NANOS} grid at or after the deadline (clock values compared by
   * difference only: they may wrap around).
   */
  static long idleSleepNanos(long deadline, long now) {
    return deadline + Math.floorMod(-deadline, IDLE_GRAIN_NANOS) - now;
  }

  /** The waiter leaves the idle list: another idle worker takes over when timers are left. */
  void resignWaiter(Worker w) {
    if (WAITER.compareAndSet(this, w, null) && earliest() != TimerHeap.NONE) {
      sched.timerNeedsWatcher();
    }
  }
}
