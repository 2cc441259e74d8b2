package dev.weft.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A worker's local run queue: a bounded lock-free ring of 256 fibers plus a {@code runNext} slot,
 * as Go's {@code p.runq} and {@code p.runnext}.
 *
 * <h2>Who touches what</h2>
 *
 * Only the owning worker puts (single producer); the owner and thieves take (multiple consumers).
 * {@code tail} is written by the owner only; {@code head} advances by compare-and-set, by the owner
 * taking one fiber or by a thief taking half of the queue at once.
 *
 * <p>{@code runNext} holds the fiber that the running fiber just woke: it runs next on the same
 * worker, ahead of the ring, which turns a ping-pong between two fibers into a direct hand-off
 * that keeps both hot in this core's cache. A newer runNext pushes the older one to the ring's
 * tail.
 *
 * <h2>Memory ordering</h2>
 *
 * <ul>
 *   <li>put: plain store of the slot, then release store of {@code tail}. A consumer's acquire load
 *       of {@code tail} therefore sees the slot.
 *   <li>take: acquire load of {@code head}, plain load of the slot, then CAS of {@code head}. The
 *       slot is read before the CAS claims it; if the owner has since reused that slot, {@code head}
 *       has moved, the CAS fails and the value read is dropped. This is why slots need no
 *       ordering of their own.
 *   <li>{@code runNext}: the owner fills an empty slot with a release store (others only empty
 *       it, so it cannot change under us), and replaces a full one with getAndSet; thieves and
 *       the owner's take use CAS.
 * </ul>
 *
 * Indices are ints that wrap; {@code tail - head} is the size as long as it stays below 2^31,
 * which a ring of 256 guarantees. Nothing here allocates.
 */
final class RunQueue {
  static final int CAPACITY = 256;
  private static final int MASK = CAPACITY - 1;

  private static final VarHandle HEAD;
  private static final VarHandle TAIL;
  private static final VarHandle NEXT;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      HEAD = l.findVarHandle(RunQueue.class, "head", int.class);
      TAIL = l.findVarHandle(RunQueue.class, "tail", int.class);
      NEXT = l.findVarHandle(RunQueue.class, "runNext", Fiber.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Fiber[] ring = new Fiber[CAPACITY];
  @SuppressWarnings("unused") // through HEAD
  private volatile int head;
  @SuppressWarnings("unused") // through TAIL
  private volatile int tail;
  @SuppressWarnings("unused") // through NEXT
  private volatile Fiber runNext;

  /**
   * Owner only: queues a fiber. With {@code next}, the fiber takes the runNext slot and the one it
   * displaces goes to the tail.
   *
   * @param global where half of the ring goes when it is full
   * @return true when a fiber went to the ring (or the global queue), false when it only filled
   *     the empty runNext slot
   */
  boolean put(Fiber f, boolean next, GlobalQueue global) {
    if (next) {
      if (NEXT.getOpaque(this) == null) {
        // Others only ever take runNext (non-null to null), so an empty slot stays empty until
        // we fill it: a release store, no atomic instruction (the ping-pong path).
        NEXT.setRelease(this, f);
        return false;
      }
      f = (Fiber) NEXT.getAndSet(this, f);
      if (f == null) {
        return false;
      }
    }
    for (; ; ) {
      int h = (int) HEAD.getAcquire(this);
      int t = (int) TAIL.getOpaque(this); // only this thread writes tail
      if (t - h < CAPACITY) {
        ring[t & MASK] = f;
        TAIL.setRelease(this, t + 1);
        return true;
      }
      if (putSlow(f, h, t, global)) {
        return true;
      }
      // A thief took some meanwhile: the ring has room again.
    }
  }

  /**
   * Moves half of a full ring, and {@code f}, to the global queue in one batch, straight from the
   * ring: nothing allocated, which matters when a poll readies hundreds of connections at once.
   */
  private boolean putSlow(Fiber f, int h, int t, GlobalQueue global) {
    return global.putHalfOf(this, ring, h, (t - h) / 2, f);
  }

  /** For {@link GlobalQueue#putHalfOf}: claims {@code n} fibers from {@code h} on, as a thief. */
  boolean claim(int h, int n) {
    return HEAD.compareAndSet(this, h, h + n);
  }

  /**
   * Owner only: takes the next fiber to run.
   *
   * @param ringFirst take from the ring before runNext (after a slice that a runNext chain has
   *     kept going too long, so that the ring is not starved)
   */
  Fiber take(boolean ringFirst) {
    Fiber f;
    if (!ringFirst) {
      f = (Fiber) NEXT.getOpaque(this);
      if (f != null && NEXT.compareAndSet(this, f, null)) {
        return f;
      }
    }
    for (; ; ) {
      int h = (int) HEAD.getAcquire(this);
      int t = (int) TAIL.getOpaque(this);
      if (t == h) {
        break;
      }
      f = ring[h & MASK];
      if (HEAD.compareAndSet(this, h, h + 1)) {
        return f;
      }
    }
    if (ringFirst) {
      f = (Fiber) NEXT.getOpaque(this);
      if (f != null && NEXT.compareAndSet(this, f, null)) {
        return f;
      }
    }
    return null;
  }

  /**
   * Thief: moves half of this queue into {@code into}'s ring (which must belong to the calling
   * worker and be empty) and returns one fiber to run now.
   *
   * @param takeRunNext whether the runNext slot may be stolen when the ring is empty
   * @return a fiber, or null when there was nothing to steal
   */
  Fiber stealInto(RunQueue into, boolean takeRunNext) {
    int ih = (int) HEAD.getAcquire(into);
    int it = (int) TAIL.getOpaque(into);
    for (; ; ) {
      int h = (int) HEAD.getAcquire(this);
      int t = (int) TAIL.getAcquire(this);
      int n = t - h;
      n -= n / 2;
      if (n == 0) {
        if (takeRunNext) {
          Fiber f = (Fiber) NEXT.getAcquire(this);
          if (f != null && NEXT.compareAndSet(this, f, null)) {
            return f;
          }
        }
        return null;
      }
      if (n > CAPACITY / 2) {
        continue; // read head and tail at different times: inconsistent, retry
      }
      if (it - ih + n > CAPACITY) {
        n = CAPACITY - (it - ih); // our own ring is not empty (a timer readied something)
        if (n <= 0) {
          return null;
        }
      }
      for (int i = 0; i < n; i++) {
        into.ring[(it + i) & MASK] = ring[(h + i) & MASK];
      }
      if (HEAD.compareAndSet(this, h, h + n)) {
        // Run the last one taken now; publish the others in our ring.
        n--;
        Fiber f = into.ring[(it + n) & MASK];
        into.ring[(it + n) & MASK] = null;
        if (n > 0) {
          TAIL.setRelease(into, it + n);
        }
        return f;
      }
    }
  }

  /**
   * Any thread: moves everything queued here (runNext included) to {@code global}. Used when the
   * owner retires, and by the scheduler when the owner blocks in a slice, so that nothing waits
   * behind a blocked worker. Takes as a thief does (CAS on head and runNext), so it is safe while
   * the owner runs.
   */
  void drainTo(GlobalQueue global) {
    for (; ; ) {
      Fiber f = (Fiber) NEXT.getAcquire(this);
      if (f == null || NEXT.compareAndSet(this, f, null)) {
        if (f != null) {
          global.put(f);
        }
        break;
      }
    }
    for (; ; ) {
      int h = (int) HEAD.getAcquire(this);
      int t = (int) TAIL.getAcquire(this);
      if (t - h <= 0) {
        return;
      }
      Fiber f = ring[h & MASK];
      if (HEAD.compareAndSet(this, h, h + 1)) {
        global.put(f);
      }
    }
  }

  /** Owner only: how many more fibers the ring takes before it overflows to the global queue. */
  int room() {
    return CAPACITY - ((int) TAIL.getOpaque(this) - (int) HEAD.getAcquire(this));
  }

  /** Any thread: true when neither the ring nor runNext holds a fiber. */
  boolean isEmpty() {
    return (int) TAIL.getAcquire(this) == (int) HEAD.getAcquire(this)
        && NEXT.getAcquire(this) == null;
  }

  /** Any thread: an estimate of the number of queued fibers. */
  int size() {
    int n = (int) TAIL.getAcquire(this) - (int) HEAD.getAcquire(this);
    return Math.max(0, n) + (NEXT.getAcquire(this) != null ? 1 : 0);
  }
}
