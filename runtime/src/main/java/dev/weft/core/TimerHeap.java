package dev.weft.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One heap of {@link Timer}s keyed by deadline: each worker owns one, and {@link Timers} keeps one
 * more for timers made outside any worker. The lock (this object's monitor) guards the
 * arrays; its owner takes it to add and to fire due timers, another thread only to fire due timers
 * the owner is not getting to (see {@link Timers}), so it is nearly always uncontended.
 *
 * <h2>Layout</h2>
 *
 * A 4-ary min-heap (as Go's) of deadlines and slot numbers, two primitive arrays: sifting compares
 * longs in a few cache lines and never follows a pointer. The timers themselves sit in a slot table
 * that sifting never touches, so an add stores one reference and a removal clears one. That
 * matters on the JVM beyond the cache: a reference stored into an old array that points into
 * another heap region costs G1 a card to refine, and a heap of 100,000 timers sifting references
 * kept a refinement thread busy for over a second per two million sleeps.
 *
 * <h2>Cancelling without the lock</h2>
 *
 * {@link Timer#cancel()} is a CAS on the timer's state and an atomic increment of {@link
 * #cancelled}: O(1), no lock, from any thread. The entry stays in the arrays, and whoever holds
 * the lock drops it when it reaches the top, or all at once when more than a quarter of the
 * entries are cancelled ({@link #add} rebuilds the heap then, O(n) for n/4 cancels: O(1) each).
 * Go's deleted-timer accounting works the same way. So {@link #nextDeadline} may be a cancelled
 * timer's deadline: a thread that sleeps until it wakes once for nothing, drops it and sleeps on.
 * {@link #size()} counts only waiting timers, exactly: it is what the deadlock detector reads.
 *
 * <p>Deadlines are {@link System#nanoTime()} values, which may wrap around, so they are compared
 * by difference ({@link Timer#before}), never directly; every delay is at most {@link
 * Timer#MAX_DELAY}, which keeps the differences in range. {@link #NONE} marks an empty heap; no
 * timer has that deadline (see the {@link Timer} constructor).
 *
 * <h2>Warming the next firing</h2>
 *
 * With many timers, the top entry's slot, its timer and the fiber a {@link TimedWake} wakes are
 * rarely in the cache: popping the top, claiming it and waking its fiber meet three misses, one
 * after the other, each load needing the one before. A worker that keeps up with its timers pops
 * one per pick, so nothing overlaps them. {@link #warmTop} reads those lines ahead, at the start
 * of the slice that follows a pick that fired own timers ({@code Worker.runSlice}), where they
 * overlap with the misses of the fiber being resumed; by the next pick they are in the cache.
 * Not earlier: a locked instruction (the firing's CASes, the run queue's take) waits for every
 * load before it, so reads issued there would stall the pick instead of overlapping with it.
 *
 * <p>{@link #warmTop} takes no lock and writes nothing: it reads {@code slot} and {@code slots}
 * racily (the owner is the only thread that grows them, but another thread firing this heap may
 * shrink them or pop the top meanwhile), so it checks the index it read against the array it read
 * and tolerates a null slot; a stale read only warms the wrong lines. Every read that decides
 * anything is still made under the lock, so the claims and counts above are unchanged.
 */
final class TimerHeap {
  /** {@link #nextDeadline} when the heap is empty. */
  static final long NONE = Long.MAX_VALUE;

  private static final VarHandle LIVE;
  private static final VarHandle CANCELLED;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      LIVE = l.findVarHandle(TimerHeap.class, "live", int.class);
      CANCELLED = l.findVarHandle(TimerHeap.class, "cancelledCount", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Below this many entries a heap is never rebuilt: dropping at the top is cheap enough. */
  private static final int MIN_REBUILD = 64;

  /** The worker whose heap this is, or null for the heap of timers made outside workers. */
  final Worker owner;

  /** The heap: deadlines, and the slot of each entry's timer. */
  private long[] when = new long[16];

  private int[] slot = new int[16];
  private int size;

  /** The timers by slot; a slot is free when null. Sifting never writes here. */
  private Timer[] slots = new Timer[16];

  /** Free slot numbers, a stack of {@code slots.length - size}. */
  private int[] free = initialFree(16);

  /** The earliest deadline in the arrays, or {@link #NONE}; written under the lock. */
  private volatile long next = NONE;

  /**
   * Waiting timers: added and neither fired nor cancelled. Exact unless a cancel races with {@link
   * #moveTo} (the canceller may count it against the heap the timer left), so only {@link #size}
   * reads it; {@link #isEmpty} looks at the entries.
   */
  private volatile int live;

  /**
   * Cancelled entries still in the arrays; may lag a cancel by an instant, or even dip below the
   * truth when the lock holder drops an entry before its canceller counts it: only a heuristic.
   */
  private volatile int cancelledCount;

  TimerHeap(Worker owner) {
    this.owner = owner;
  }

  /** A heap with no owner (for tests). */
  TimerHeap() {
    this(null);
  }

  /** The earliest deadline, or {@link #NONE} when the arrays are empty; one volatile read. */
  long nextDeadline() {
    return next;
  }

  /**
   * True when no timer waits here (cancelled entries not counted). Exact, whatever cancels and
   * moves race with it: it looks at the entries' states under the lock, stopping at the first
   * waiting one, which is nearly always the first. For the deadlock detector, at quiescence.
   */
  boolean isEmpty() {
    if (next == NONE) {
      return true;
    }
    synchronized (this) {
      for (int i = 0; i < size; i++) {
        if (slots[slot[i]].isWaiting()) {
          return false;
        }
      }
      return true;
    }
  }

  /** The number of waiting timers; may be off for an instant while timers move (dumps, tests). */
  int size() {
    return Math.max(0, live);
  }

  /**
   * Adds a timer; it must be new.
   *
   * @return true when it is now this heap's earliest, so a thread sleeping until the previous
   *     earliest deadline may have to be told
   */
  boolean add(Timer t) {
    long d = t.deadline;
    synchronized (this) {
      t.setWaiting(this);
      // The cancelled count first: while nothing is cancelled (sleeps never are) this test never
      // changes its answer, whereas the size test first goes the other way when the heap falls
      // below MIN_REBUILD at the end of a burst, and that cost a deoptimisation and a new compile
      // of every method this add was compiled into (four, at the end of the timer benchmark).
      if (cancelledCount > size / 4 && size >= MIN_REBUILD) {
        dropCancelled();
      }
      if (size == when.length) {
        grow();
      }
      int s = free[slots.length - size - 1]; // the top of the free stack
      slots[s] = t;
      siftUp(size++, d, s);
      LIVE.getAndAdd(this, 1);
      boolean earliest = slot[0] == s;
      if (earliest) {
        next = d;
      }
      return earliest;
    }
  }

  /** As {@link Timer#cancel()}: false when it had fired or was cancelled already. */
  boolean remove(Timer t) {
    return t.cancel();
  }

  /** Called by {@link Timer#cancel()} once its CAS won. */
  void cancelled() {
    LIVE.getAndAdd(this, -1);
    CANCELLED.getAndAdd(this, 1);
  }

  /**
   * Reads the earliest timer and what its firing will touch, without the lock: see "Warming the
   * next firing" in the class comment. Allocation-free; the result means nothing.
   */
  int warmTop() {
    if (next == NONE) {
      return 0;
    }
    Timer[] ts = slots;
    int s = slot[0]; // the arrays are never empty; a slot number is never negative
    if (s >= ts.length) {
      return 0; // read from a resized slot array beside the old timers, or the other way round
    }
    Timer t = ts[s];
    return t == null ? 0 : t.warm();
  }

  /** True when the earliest entry is due at {@code now}; one volatile read. */
  boolean hasDue(long now) {
    long n = next;
    return n != NONE && !Timer.before(now, n);
  }

  /** As {@link #runDue(long, Timer[])} with a batch of its own (tests, rare paths). */
  boolean runDue(long now) {
    return runDue(now, new Timer[16]);
  }

  /** As {@link #runDue(long, Timer[], int)} with no limit: every due timer fires. */
  boolean runDue(long now, Timer[] batch) {
    return runDue(now, batch, Integer.MAX_VALUE) > 0;
  }

  /**
   * Fires the timers whose deadline is not after {@code now}, in deadline order, at most {@code
   * max} of them; the others stay due at the top of the heap, still in order. Takes the lock once
   * per {@code batch.length} timers and fires them outside it, so that a timer's action (which may
   * add a timer here, as a ticker does) never runs under the lock.
   *
   * @param batch the caller's own scratch array, left cleared
   * @param max at most this many fire: a worker passes the room left in its run queue, so that the
   *     fibers they wake are never split between its queue and the global one (see {@link
   *     Timers#runOwn})
   * @return how many fired
   */
  int runDue(long now, Timer[] batch, int max) {
    if (max <= 0 || !hasDue(now)) {
      return 0;
    }
    int fired = 0;
    for (; ; ) {
      int limit = Math.min(batch.length, max - fired);
      int n = popDue(now, batch, limit);
      for (int i = 0; i < n; i++) {
        Timer t = batch[i];
        batch[i] = null;
        fire(t);
      }
      fired += n;
      if (n < limit || fired == max) {
        return fired;
      }
    }
  }

  /** Under the lock: moves up to {@code limit} due timers into the batch. */
  private synchronized int popDue(long now, Timer[] batch, int limit) {
    int n = 0;
    while (size > 0 && n < limit) {
      Timer t = slots[slot[0]];
      if (t.state() == Timer.CANCELLED) {
        removeTop();
        CANCELLED.getAndAdd(this, -1);
        continue;
      }
      if (Timer.before(now, when[0])) {
        break;
      }
      removeTop();
      if (t.claimForFiring()) {
        LIVE.getAndAdd(this, -1);
        batch[n++] = t;
      } else {
        CANCELLED.getAndAdd(this, -1); // cancelled just now
      }
    }
    next = size == 0 ? NONE : when[0];
    if (when.length > 64 && size < when.length / 4) {
      resize(when.length / 2); // give back after a burst of timers
    }
    return n;
  }

  private static void fire(Timer t) {
    try {
      t.fire();
    } catch (Throwable e) {
      // A timer action must not kill the thread that services the heap; it has no fiber to
      // blame, so it is reported as the thread's own uncaught exception would be.
      Thread current = Thread.currentThread();
      Thread.UncaughtExceptionHandler h = Thread.getDefaultUncaughtExceptionHandler();
      if (h != null) {
        h.uncaughtException(current, e);
      } else {
        RuntimeLog.log(
            RuntimeLog.UNCAUGHT,
            System.Logger.Level.ERROR,
            "Exception in timer of thread \"" + current.getName() + "\" ",
            e);
      }
    }
  }

  /**
   * Moves every waiting timer into {@code dst} and empties this heap: for a worker that gave up its
   * slot for good (spare, exited), whose timers must not wait for a worker that is not coming back.
   * Takes this lock, then {@code dst}'s; {@code dst} is the ownerless heap, which never moves, so
   * two moves cannot wait for each other.
   *
   * @return the earliest deadline moved, or {@link #NONE}
   */
  long moveTo(TimerHeap dst) {
    long earliest = NONE;
    synchronized (this) {
      if (size == 0) {
        return NONE;
      }
      synchronized (dst) {
        for (int i = 0; i < size; i++) {
          int s = slot[i];
          Timer t = slots[s];
          slots[s] = null;
          if (t.isWaiting()) {
            dst.insertLocked(t, when[i]);
            LIVE.getAndAdd(this, -1);
            if (earliest == NONE || Timer.before(when[i], earliest)) {
              earliest = when[i];
            }
          }
        }
        size = 0;
        resize(16);
        next = NONE;
        CANCELLED.set(this, 0);
      }
    }
    return earliest;
  }

  /** Under both locks: a waiting timer from another heap joins this one. */
  private void insertLocked(Timer t, long d) {
    if (size == when.length) {
      grow();
    }
    int s = free[slots.length - size - 1];
    slots[s] = t;
    t.heap = this;
    siftUp(size++, d, s);
    LIVE.getAndAdd(this, 1);
    next = when[0];
  }

  /** Entries in the arrays, cancelled ones included (for tests). */
  synchronized int entries() {
    return size;
  }

  /** Under the lock: removes every cancelled entry and restores the heap order, O(n). */
  private void dropCancelled() {
    int kept = 0;
    int nFree = slots.length - size;
    for (int i = 0; i < size; i++) {
      int s = slot[i];
      if (slots[s].state() == Timer.CANCELLED) {
        CANCELLED.getAndAdd(this, -1);
        slots[s] = null;
        free[nFree++] = s;
      } else {
        when[kept] = when[i];
        slot[kept] = s;
        kept++;
      }
    }
    size = kept;
    for (int i = (size - 2) >>> 2; size > 1 && i >= 0; i--) {
      siftDown(i, when[i], slot[i]);
    }
    next = size == 0 ? NONE : when[0];
  }

  /** Under the lock: the top entry leaves the heap, and its slot is freed. */
  private void removeTop() {
    freeSlot(slot[0]);
    int last = --size;
    if (last > 0) {
      siftDown(0, when[last], slot[last]);
    }
  }

  /** Clears a slot (a null store: nothing for the collector to track) and frees it. */
  private void freeSlot(int s) {
    slots[s] = null;
    free[slots.length - size] = s; // size still counts the entry that held it
  }

  /** Doubles every array; the new slots are free. */
  private void grow() {
    int old = when.length;
    int cap = old * 2;
    when = Arrays.copyOf(when, cap);
    slot = Arrays.copyOf(slot, cap);
    slots = Arrays.copyOf(slots, cap);
    // Free stack: (cap - size) entries; the heap is full, so all free slots are the new ones.
    free = new int[cap];
    for (int i = 0; i < cap - old; i++) {
      free[i] = cap - 1 - i;
    }
  }

  /** Moves every entry into arrays of {@code cap} (at least {@code size}), renumbering slots. */
  private void resize(int cap) {
    Timer[] moved = new Timer[cap];
    for (int i = 0; i < size; i++) {
      moved[i] = slots[slot[i]];
      slot[i] = i;
    }
    slots = moved;
    when = Arrays.copyOf(when, cap);
    slot = Arrays.copyOf(slot, cap);
    free = new int[cap];
    for (int i = 0; i < cap - size; i++) {
      free[i] = cap - 1 - i;
    }
  }

  private static int[] initialFree(int cap) {
    int[] f = new int[cap];
    for (int i = 0; i < cap; i++) {
      f[i] = cap - 1 - i;
    }
    return f;
  }

  /** Places the entry (deadline {@code d}, slot {@code s}) at hole {@code i} or above. */
  private void siftUp(int i, long d, int s) {
    while (i > 0) {
      int parent = (i - 1) >>> 2;
      long pd = when[parent];
      if (!Timer.before(d, pd)) {
        break;
      }
      when[i] = pd;
      slot[i] = slot[parent];
      i = parent;
    }
    when[i] = d;
    slot[i] = s;
  }

  /** Places the entry (deadline {@code d}, slot {@code s}) at hole {@code i} or below. */
  private void siftDown(int i, long d, int s) {
    int n = size;
    for (; ; ) {
      int first = 4 * i + 1;
      if (first >= n) {
        break;
      }
      int best = first;
      long bd = when[first];
      int end = Math.min(first + 4, n);
      for (int c = first + 1; c < end; c++) {
        long cd = when[c];
        if (Timer.before(cd, bd)) {
          best = c;
          bd = cd;
        }
      }
      if (!Timer.before(bd, d)) {
        break;
      }
      when[i] = bd;
      slot[i] = slot[best];
      i = best;
    }
    when[i] = d;
    slot[i] = s;
  }
}
