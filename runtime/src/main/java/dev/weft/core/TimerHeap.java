package dev.weft.core;

import java.util.Arrays;

/**
 * The scheduler's one timer structure: a binary min-heap of {@link Timer}s keyed by deadline, under
 * one lock. No thread per timer: due timers are fired by whoever services the heap (see {@link
 * Worker} and {@link Monitor}).
 *
 * <p>A heap rather than a wheel: it costs O(log n) per add and cancel, needs no tick, and lets an
 * idle worker sleep exactly until the next deadline. {@link #nextDeadline} is readable without the
 * lock so that busy workers can check for due timers with one volatile read when the heap is
 * empty, which is the common case on the hot path.
 *
 * <p>Deadlines are {@link System#nanoTime()} values, which may wrap around, so they are compared
 * by difference ({@link Timer#before}), never directly; every delay is at most {@link
 * Timer#MAX_DELAY}, which keeps the differences in range. {@link #NONE} marks an empty heap; no
 * timer has that deadline (see the {@link Timer} constructor).
 */
final class TimerHeap {
  /** {@link #nextDeadline} when the heap is empty. */
  static final long NONE = Long.MAX_VALUE;

  private Timer[] heap = new Timer[16];
  private int size;

  /** The earliest deadline, or {@link #NONE}; written under the lock, read without it. */
  private volatile long next = NONE;

  /** The earliest deadline, or {@link #NONE} when there is no timer. */
  long nextDeadline() {
    return next;
  }

  boolean isEmpty() {
    return next == NONE;
  }

  /**
   * Adds a timer.
   *
   * @return true when it is now the earliest, so a thread sleeping until the previous earliest
   *     deadline must be told
   */
  boolean add(Timer t) {
    boolean earliest;
    synchronized (this) {
      if (size == heap.length) {
        heap = Arrays.copyOf(heap, size * 2);
      }
      t.index = size;
      heap[size++] = t;
      siftUp(t.index);
      earliest = heap[0] == t;
      next = heap[0].deadline;
    }
    if (earliest) {
      Scheduler.get().timerAdded();
    }
    return earliest;
  }

  /**
   * Removes a timer that has not fired.
   *
   * @return false when it was no longer in the heap (it fired, or was removed already)
   */
  boolean remove(Timer t) {
    synchronized (this) {
      int i = t.index;
      if (i < 0 || i >= size || heap[i] != t) {
        return false;
      }
      removeAt(i);
      next = size == 0 ? NONE : heap[0].deadline;
      return true;
    }
  }

  /** True while {@code t} is in the heap (it has neither fired nor been removed). */
  synchronized boolean contains(Timer t) {
    int i = t.index;
    return i >= 0 && i < size && heap[i] == t;
  }

  /** As {@link #runDue}, reading the clock only when there is a timer at all. */
  boolean runDueIfAny() {
    return next != NONE && runDue(System.nanoTime());
  }

  /**
   * Fires every timer whose deadline has passed.
   *
   * @return true when at least one fired
   */
  boolean runDue(long now) {
    long first = next;
    if (first == NONE || Timer.before(now, first)) {
      return false;
    }
    boolean fired = false;
    for (; ; ) {
      Timer t;
      synchronized (this) {
        if (size == 0 || Timer.before(now, heap[0].deadline)) {
          break;
        }
        t = heap[0];
        removeAt(0);
        next = size == 0 ? NONE : heap[0].deadline;
        if (heap.length > 64 && size < heap.length / 4) {
          heap = Arrays.copyOf(heap, heap.length / 2); // give back after a burst of timers
        }
      }
      fired = true;
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
          System.err.print("Exception in timer of thread \"" + current.getName() + "\" ");
          e.printStackTrace();
        }
      }
    }
    return fired;
  }

  /** The number of pending timers (for dumps and tests). */
  synchronized int size() {
    return size;
  }

  private void removeAt(int i) {
    Timer removed = heap[i];
    removed.index = -1;
    int last = --size;
    if (i != last) {
      Timer moved = heap[last];
      heap[i] = moved;
      moved.index = i;
      heap[last] = null;
      siftDown(i);
      if (heap[i] == moved) {
        siftUp(i);
      }
    } else {
      heap[last] = null;
    }
  }

  private void siftUp(int i) {
    Timer t = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Timer p = heap[parent];
      if (!Timer.before(t.deadline, p.deadline)) {
        break;
      }
      heap[i] = p;
      p.index = i;
      i = parent;
    }
    heap[i] = t;
    t.index = i;
  }

  private void siftDown(int i) {
    Timer t = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      Timer c = heap[child];
      int right = child + 1;
      if (right < size && Timer.before(heap[right].deadline, c.deadline)) {
        child = right;
        c = heap[child];
      }
      if (!Timer.before(c.deadline, t.deadline)) {
        break;
      }
      heap[i] = c;
      c.index = i;
      i = child;
    }
    heap[i] = t;
    t.index = i;
  }
}
