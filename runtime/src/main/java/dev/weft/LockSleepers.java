package dev.weft;

import java.util.concurrent.locks.LockSupport;

/**
 * The threads asleep on a contended {@link Waitable} lock, kept outside the locked objects so that
 * a channel pays nothing for them: a fixed table of buckets, each a short list guarded by its own
 * monitor, the object's identity hash choosing the bucket. It plays the part of the futex Go's
 * runtime lock sleeps on.
 *
 * <p>{@link #sleep} enqueues the caller only if the lock word still says "contended" when checked
 * under the bucket's monitor, and {@link #wakeOne} dequeues under the same monitor: a release that
 * marked the lock free and then looks for a sleeper either finds it, or the sleeper saw the lock
 * free and did not sleep. The release's swap (see {@link Waitable}) makes sure it does look when a
 * sleeper marked the word; every sleep is still bounded, as a safety net.
 *
 * <pre>{@code
 * LockSleepers.sleep(this, 100_000);  // in the lock's slow path, the word marked contended
 * LockSleepers.wakeOne(this);         // in the release, when the word said contended
 * }</pre>
 *
 * <p>Only the contended path comes here; it allocates one node per sleep.
 */
final class LockSleepers {
  private LockSleepers() {}

  private static final int BUCKETS = 64; // a power of two

  private static final Bucket[] TABLE = new Bucket[BUCKETS];

  static {
    for (int i = 0; i < BUCKETS; i++) {
      TABLE[i] = new Bucket();
    }
  }

  private static Bucket bucketOf(Waitable lock) {
    int h = System.identityHashCode(lock);
    return TABLE[(h ^ (h >>> 16)) & (BUCKETS - 1)];
  }

  /**
   * Sleeps until {@link #wakeOne} picks the caller for {@code lock}, or {@code nanos} pass, or at
   * once when the lock is no longer marked contended.
   */
  static void sleep(Waitable lock, long nanos) {
    Bucket b = bucketOf(lock);
    Sleeper s = new Sleeper(lock, Thread.currentThread());
    synchronized (b) {
      if (!lock.markedContended()) {
        return;
      }
      b.append(s);
    }
    long deadline = System.nanoTime() + nanos;
    for (; ; ) {
      if (s.woken) {
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      LockSupport.parkNanos(lock, left);
    }
    synchronized (b) {
      b.unlink(s); // a no-op when a waker took it meanwhile
    }
  }

  /** Wakes the longest sleeper on {@code lock}, if any. */
  static void wakeOne(Waitable lock) {
    Bucket b = bucketOf(lock);
    Sleeper found;
    synchronized (b) {
      found = b.takeFirst(lock);
    }
    if (found != null) {
      found.woken = true;
      LockSupport.unpark(found.thread);
    }
  }

  private static final class Sleeper {
    final Waitable lock;
    final Thread thread;
    Sleeper next;
    boolean queued;

    /** Set by the waker after it dequeued this sleeper, read by the sleeper without the monitor. */
    volatile boolean woken;

    Sleeper(Waitable lock, Thread thread) {
      this.lock = lock;
      this.thread = thread;
    }
  }

  /** A singly linked FIFO of sleepers, guarded by the bucket's monitor. */
  private static final class Bucket {
    private Sleeper head;
    private Sleeper tail;

    void append(Sleeper s) {
      s.queued = true;
      if (tail == null) {
        head = s;
      } else {
        tail.next = s;
      }
      tail = s;
    }

    Sleeper takeFirst(Waitable lock) {
      for (Sleeper prev = null, s = head; s != null; prev = s, s = s.next) {
        if (s.lock == lock) {
          remove(prev, s);
          return s;
        }
      }
      return null;
    }

    void unlink(Sleeper target) {
      if (!target.queued) {
        return;
      }
      for (Sleeper prev = null, s = head; s != null; prev = s, s = s.next) {
        if (s == target) {
          remove(prev, s);
          return;
        }
      }
    }

    private void remove(Sleeper prev, Sleeper s) {
      if (prev == null) {
        head = s.next;
      } else {
        prev.next = s.next;
      }
      if (tail == s) {
        tail = prev;
      }
      s.next = null;
      s.queued = false;
    }
  }
}
