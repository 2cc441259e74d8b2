package dev.weft;

import dev.weft.core.Parker;
import dev.weft.core.PlainUsers;
import dev.weft.frame.FrameStack;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * What {@link Channel}, {@link Mutex} and {@link WaitGroup} have in common: the small lock that
 * guards their queues of {@link Waiter}s, a spare waiter node, the party to wake once the lock is
 * released, and whether a plain thread has ever used them.
 *
 * <h2>The lock</h2>
 *
 * A test-and-test-and-set spin lock on one int. It is never held across a park or a suspension,
 * only around a few dozen instructions of queue and buffer manipulation, so contention is short
 * and a spin beats parking. It costs 4 bytes, where a {@code ReentrantLock} would add two objects
 * to every channel (the pipeline benchmark counts bytes per channel). A monitor is out of the
 * question: holding one on a fiber's path pins the fiber. A holder can still be descheduled by the
 * OS, so after a short spin the waiter yields its CPU, and much later naps for a few microseconds.
 *
 * <p>Memory ordering: acquiring is a volatile compare-and-set, releasing a release store, so
 * everything written under the lock is visible to the next holder.
 *
 * <h2>The spare waiter</h2>
 *
 * A fiber that parks needs a waiter node; allocating one per park would be the only allocation of
 * a ping-pong round trip. Instead each object keeps one spare: a parking party takes it under the
 * lock, and gives it back, without the lock, once its wait is over. In a pipeline or ping-pong the
 * node of the party that just woke is the one the next party parks with, so the steady state
 * allocates nothing. The hand-back races only with other hand-backs (a lost node is garbage, never
 * shared) and with a taker under the lock; it is a release store after the node was reset, and
 * the taker reads with acquire, so a taken node is always clean.
 */
abstract class Waitable {
  private static final VarHandle LOCK;
  private static final VarHandle SPARE;
  private static final VarHandle PLAIN_USERS;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      LOCK = l.findVarHandle(Waitable.class, "lockWord", int.class);
      SPARE = l.findVarHandle(Waitable.class, "spare", Waiter.class);
      PLAIN_USERS = l.findVarHandle(Waitable.class, "plainUsers", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Busy-wait this many rounds before yielding the CPU to a possibly descheduled holder. */
  private static final int SPINS = 64;

  /** Then yield this many times before napping. */
  private static final int YIELDS = 1024;

  /** The nap, once the holder has been gone for a long while (a GC pause, an overloaded box). */
  private static final long NAP_NANOS = 20_000;

  /** 0 free, 1 held. Only touched through {@link #LOCK}. */
  @SuppressWarnings("unused")
  private volatile int lockWord;

  /** A reset waiter ready for the next park, or null. Only touched through {@link #SPARE}. */
  @SuppressWarnings("unused")
  private Waiter spare;

  /**
   * The plain threads that have used this object, a {@link PlainUsers} record (see {@link
   * dev.weft.core.WakeSource}). Volatile so the deadlock detector reads the latest value; written
   * once per plain thread (at most a few times), so the cost is one load per operation, and on a
   * plain thread a comparison with the thread already recorded.
   */
  private volatile Object plainUsers;

  /**
   * A party made runnable under the lock, to unpark once the lock is released: waking under the
   * lock would stretch the critical section by the scheduler's hand-off. Guarded by the lock.
   */
  private Parker toWake;

  // ---------------------------------------------------------------------------------------------
  // The lock.

  final void spinLock() {
    if (!LOCK.compareAndSet(this, 0, 1)) {
      spinContended();
    }
  }

  private void spinContended() {
    for (int round = 1; ; round++) {
      if (lockWord == 0 && LOCK.compareAndSet(this, 0, 1)) {
        return;
      }
      if (round < SPINS) {
        Thread.onSpinWait();
      } else if (round < SPINS + YIELDS) {
        Thread.yield();
      } else {
        LockSupport.parkNanos(this, NAP_NANOS);
      }
    }
  }

  final void spinUnlock() {
    LOCK.setRelease(this, 0);
  }

  /** Releases the lock, then wakes the party recorded in {@link #wakeLater}, if any. */
  final void unlockAndWake() {
    Parker p = toWake;
    if (p == null) {
      spinUnlock();
      return;
    }
    toWake = null;
    spinUnlock();
    p.unpark();
  }

  /** Under the lock: records a party to unpark when the lock is released. */
  final void wakeLater(Parker p) {
    toWake = p;
  }

  /**
   * Under the lock: takes the party recorded by {@link #wakeLater}, for a caller that releases
   * several locks before waking anyone (select).
   */
  final Parker takeWake() {
    Parker p = toWake;
    toWake = null;
    return p;
  }

  // ---------------------------------------------------------------------------------------------
  // Waiter nodes.

  /** Under the lock: a clean waiter owned by this object, the spare when there is one. */
  final Waiter takeWaiter() {
    Waiter w = (Waiter) SPARE.getAcquire(this);
    if (w == null) {
      w = new Waiter();
    } else {
      SPARE.set(this, null);
    }
    w.owner = this;
    return w;
  }

  /** After a wait is over (its waker no longer touches the node): keeps the node as the spare. */
  final void recycle(Waiter w) {
    w.reset();
    if (SPARE.getOpaque(this) == null) {
      SPARE.setRelease(this, w);
    }
  }

  /**
   * The wait of {@code party} on {@code w} is abandoned: a throwable escaped it. Under the lock,
   * when {@code w} is still that party's queued wait, takes it out of its queue, so no waker
   * chooses it; when a waker completed it already, {@link #abandonedAfterCompletion} decides what
   * to give back. The node is not recycled: nobody will return it.
   */
  final void abandon(Waiter w, Parker party) {
    spinLock();
    if (w.owner != this || w.parker != party || party == null) {
      spinUnlock(); // reused since: not this party's wait any more
      return;
    }
    boolean completed = w.isDone();
    if (!completed && WaitList.isQueued(w)) {
      unqueue(w);
    }
    // Not reusable by anyone: a later abandon of the same node finds another parker.
    w.parker = null;
    spinUnlock();
    if (completed) {
      abandonedAfterCompletion(w);
    }
  }

  /** Under the lock: removes an abandoned waiter from whichever queue holds it. */
  abstract void unqueue(Waiter w);

  /**
   * Outside the lock: a waker completed the wait of a party that then failed before it saw the
   * outcome. A mutex hands itself on (the party never held it); by default nothing.
   */
  void abandonedAfterCompletion(Waiter w) {}

  // ---------------------------------------------------------------------------------------------
  // Plain threads, for the deadlock detector.

  /** Notes a plain-thread caller. One volatile load on every call, one store per plain thread. */
  final void noteCaller() {
    Object u = plainUsers;
    if (u != PlainUsers.MANY && FrameStack.current() == null) {
      notePlainThread(u);
    }
  }

  private void notePlainThread(Object u) {
    for (; ; ) {
      Object v = PlainUsers.with(u);
      if (v == u || PLAIN_USERS.compareAndSet(this, u, v)) {
        return;
      }
      u = plainUsers;
    }
  }

  /**
   * True when a plain thread that may still act has used this object: one that is alive and not
   * itself waiting in {@code Weft.run}/{@code call}. For the deadlock detector, at quiescence.
   */
  final boolean plainThreadUsed() {
    return PlainUsers.mayStillAct(plainUsers);
  }

  /** What a fiber parked with {@code w} waits for, for dumps and deadlock reports. */
  abstract String describeWait(Waiter w);
}
