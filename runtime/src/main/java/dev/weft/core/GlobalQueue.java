package dev.weft.core;

/**
 * The scheduler's global run queue, as Go's {@code sched.runq}: where fibers readied by plain
 * threads, by the monitor, or overflowing a worker's ring go. A growable array ring under one lock;
 * no node per fiber, so queuing allocates nothing once the array has grown.
 *
 * <p>{@link #size} is volatile so that workers can skip the lock when the queue is empty, which is
 * what the fast path sees.
 */
final class GlobalQueue {
  private Fiber[] ring = new Fiber[64];
  private int head;

  /** Written under the lock; read without it as a hint. */
  private volatile int size;

  /** A hint, exact only under the lock. */
  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  synchronized void put(Fiber f) {
    ensureRoom(1);
    ring[(head + size) & (ring.length - 1)] = f;
    size = size + 1;
  }

  /**
   * The owner of {@code q}, whose ring is full: moves {@code n} fibers of {@code from} (its ring) from index
   * {@code h} on, then {@code f}, to the back of this queue. The fibers are copied first and kept
   * only if {@code q}'s head still is {@code h} (no thief took them meanwhile).
   *
   * @return false when a thief took some meanwhile: nothing moved, and {@code q} has room again
   */
  synchronized boolean putHalfOf(RunQueue q, Fiber[] from, int h, int n, Fiber f) {
    ensureRoom(n + 1);
    int mask = ring.length - 1;
    int fromMask = from.length - 1;
    int end = head + size;
    for (int i = 0; i < n; i++) {
      ring[(end + i) & mask] = from[(h + i) & fromMask];
    }
    if (!q.claim(h, n)) {
      for (int i = 0; i < n; i++) {
        ring[(end + i) & mask] = null;
      }
      return false;
    }
    ring[(end + n) & mask] = f;
    size = size + n + 1;
    return true;
  }

  /**
   * Takes one fiber to run and moves up to {@code max - 1} more into the caller's ring, as Go's
   * {@code globrunqget}: a fair share, {@code size / procs + 1}, so that workers do not come back
   * to the lock for every fiber.
   */
  Fiber take(Worker w, int procs, int max) {
    if (size == 0) {
      return null;
    }
    Fiber first;
    synchronized (this) {
      int s = size;
      if (s == 0) {
        return null;
      }
      // Never more than the caller's ring can hold: an overflow would come back here mid-loop.
      int room = w.runq.room();
      int n = Math.min(Math.min(s, s / Math.max(1, procs) + 1), Math.max(1, Math.min(max, room + 1)));
      int mask = ring.length - 1;
      first = ring[head];
      ring[head] = null;
      head = (head + 1) & mask;
      for (int i = 1; i < n; i++) {
        Fiber f = ring[head];
        ring[head] = null;
        head = (head + 1) & mask;
        w.runq.put(f, false, this);
      }
      size = s - n;
      if (ring.length > 1024 && size < ring.length / 8) {
        shrink(); // give back the array a burst of go() calls from a plain thread grew
      }
    }
    return first;
  }

  private void shrink() {
    int s = size;
    int cap = 64;
    while (cap < 2 * s) {
      cap <<= 1;
    }
    Fiber[] smaller = new Fiber[cap];
    int mask = ring.length - 1;
    for (int i = 0; i < s; i++) {
      smaller[i] = ring[(head + i) & mask];
    }
    ring = smaller;
    head = 0;
  }

  private void ensureRoom(int n) {
    int s = size;
    if (s + n <= ring.length) {
      return;
    }
    int cap = ring.length;
    while (cap < s + n) {
      cap <<= 1;
    }
    Fiber[] bigger = new Fiber[cap];
    int mask = ring.length - 1;
    for (int i = 0; i < s; i++) {
      bigger[i] = ring[(head + i) & mask];
    }
    ring = bigger;
    head = 0;
  }
}
