package dev.weft.core;

import dev.weft.frame.FrameStack;

/**
 * The scheduler's global run queue, as Go's {@code sched.runq}: where fibers readied by plain
 * threads, by the monitor, or overflowing a worker's ring go. Two growable array rings under one
 * lock; no node per fiber, so queuing allocates nothing once the arrays have grown.
 *
 * <h2>Two lanes: fibers that ran before, and fibers that never ran</h2>
 *
 * A fiber that has run before (woken by a timer the monitor fired, by a plain thread, or moved
 * here from a full ring) is taken before any fiber that has never run. A busy worker looks here
 * only at every 61st pick or when its own queue is empty, and a program that starts 100,000
 * fibers leaves most of them here at first: in one line, a sleeper whose timer the monitor fired
 * while its worker was busy starting them waited behind every fiber not yet started, over a
 * second. Starting a new fiber can wait; an old one's wake-up is late the whole time. A busy
 * worker also takes the fibers that ran before ahead of its own ring ({@link #hasResumed}), since
 * they were readied before what its timers keep adding there. Within a lane the order is kept.
 * The preference is bounded: while both lanes hold fibers, every {@link #FRESH_EVERY}th fiber taken
 * is a new one, so that a steady stream of wake-ups (plain threads readying fibers faster than the
 * workers run them) delays the start of new fibers but never stops it.
 *
 * <p>The lane is told by the fiber's mode: a fiber is created {@link FrameStack#ARMED} and is
 * never exactly that while suspended. A fiber queued while its unwind is still under way may read
 * as new for an instant; that only puts it in the other lane, never loses it.
 *
 * <p>{@link #size} and {@link #resumed}'s count are volatile so that workers can skip the lock when
 * the queue (or the lane) is empty, which is what the fast path sees.
 */
final class GlobalQueue {
  /** A FIFO ring of fibers; guarded by the queue's lock. */
  private static final class Lane {
    Fiber[] ring = new Fiber[64];
    int head;
    int size;

    void add(Fiber f) {
      if (size == ring.length) {
        resize(ring.length * 2);
      }
      ring[(head + size) & (ring.length - 1)] = f;
      size++;
    }

    Fiber poll() {
      Fiber f = ring[head];
      ring[head] = null;
      head = (head + 1) & (ring.length - 1);
      size--;
      if (ring.length > 1024 && size < ring.length / 8) {
        shrink(); // give back the array a burst of go() calls from a plain thread grew
      }
      return f;
    }

    /** Drops the entries added after the lane held {@code n}. */
    void truncate(int n) {
      while (size > n) {
        size--;
        ring[(head + size) & (ring.length - 1)] = null;
      }
    }

    private void shrink() {
      int cap = 64;
      while (cap < 2 * size) {
        cap <<= 1;
      }
      resize(cap);
    }

    private void resize(int cap) {
      Fiber[] moved = new Fiber[cap];
      int mask = ring.length - 1;
      for (int i = 0; i < size; i++) {
        moved[i] = ring[(head + i) & mask];
      }
      ring = moved;
      head = 0;
    }
  }

  /** While both lanes hold fibers, one taken in this many is a new one (see the class comment). */
  static final int FRESH_EVERY = 8;

  /** Fibers taken while both lanes held some; guarded by the lock. */
  private int taken;

  /** Fibers that have run before: taken first. */
  private final Lane resumed = new Lane();

  /** Fibers that have never run. */
  private final Lane fresh = new Lane();

  /** Both lanes; written under the lock, read without it as a hint. */
  private volatile int size;

  /** {@link #resumed}'s size; written under the lock, read without it as a hint. */
  private volatile int resumedSize;

  /** A hint, exact only under the lock. */
  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** A hint: true when a fiber that ran before waits here. One volatile read. */
  boolean hasResumed() {
    return resumedSize != 0;
  }

  private Lane laneOf(Fiber f) {
    return f.mode == FrameStack.ARMED ? fresh : resumed;
  }

  synchronized void put(Fiber f) {
    laneOf(f).add(f);
    published();
  }

  private void published() {
    resumedSize = resumed.size;
    size = resumed.size + fresh.size;
  }

  /**
   * The owner of {@code q}, whose ring is full: moves {@code n} fibers of {@code from} (its ring)
   * from index {@code h} on, then {@code f}, to the back of this queue's lanes. The fibers are
   * copied first and kept only if {@code q}'s head still is {@code h} (no thief took them
   * meanwhile).
   *
   * @return false when a thief took some meanwhile: nothing moved, and {@code q} has room again
   */
  synchronized boolean putHalfOf(RunQueue q, Fiber[] from, int h, int n, Fiber f) {
    int resumedBefore = resumed.size;
    int freshBefore = fresh.size;
    int fromMask = from.length - 1;
    for (int i = 0; i < n; i++) {
      Fiber g = from[(h + i) & fromMask];
      laneOf(g).add(g);
    }
    if (!q.claim(h, n)) {
      resumed.truncate(resumedBefore);
      fresh.truncate(freshBefore);
      return false;
    }
    laneOf(f).add(f);
    published();
    return true;
  }

  /**
   * Takes one fiber to run and moves up to {@code max - 1} more into the caller's ring, as Go's
   * {@code globrunqget}: a fair share, {@code size / procs + 1}, so that workers do not come back
   * to the lock for every fiber. Fibers that ran before come first.
   */
  Fiber take(Worker w, int procs, int max) {
    if (size == 0) {
      return null;
    }
    synchronized (this) {
      return takeLocked(w, procs, max, size, false);
    }
  }

  /**
   * As {@link #take}, but only fibers that ran before: for a busy worker, ahead of its own ring
   * (see the class comment).
   */
  Fiber takeResumed(Worker w, int procs, int max) {
    if (resumedSize == 0) {
      return null;
    }
    synchronized (this) {
      return takeLocked(w, procs, max, resumed.size, true);
    }
  }

  private Fiber takeLocked(Worker w, int procs, int max, int s, boolean resumedOnly) {
    if (s == 0) {
      return null;
    }
    // Never more than the caller's ring can hold: an overflow would come back here mid-loop.
    int room = w.runq.room();
    int n = Math.min(Math.min(s, s / Math.max(1, procs) + 1), Math.max(1, Math.min(max, room + 1)));
    Fiber first = next(resumedOnly);
    for (int i = 1; i < n; i++) {
      w.runq.put(next(resumedOnly), false, this);
    }
    published();
    return first;
  }

  private Fiber next(boolean resumedOnly) {
    if (resumedOnly || fresh.size == 0 || (resumed.size > 0 && ++taken % FRESH_EVERY != 0)) {
      return resumed.poll();
    }
    return fresh.poll();
  }
}
