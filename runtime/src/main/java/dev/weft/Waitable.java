package dev.weft;

import dev.weft.core.Parker;
import dev.weft.core.PlainUsers;
import dev.weft.frame.FrameStack;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What {@link Channel}, {@link Mutex} and {@link WaitGroup} have in common: the small lock that
 * guards their queues of {@link Waiter}s, a spare waiter node, and whether a plain thread has ever
 * used them. Every field here is in every channel: the party an operation completes under the
 * lock is kept in a local of that operation, and woken after the release.
 *
 * <h2>The lock</h2>
 *
 * A test-and-test-and-set lock on one int, after Go's runtime lock: it is never held across a park
 * or a suspension, only around a few dozen instructions of queue and buffer manipulation, so a
 * short spin usually wins it. It costs 4 bytes, where a {@code ReentrantLock} would add two
 * objects to every channel (the pipeline benchmark counts bytes per channel). A monitor is out of
 * the question: holding one on a fiber's path pins the fiber.
 *
 * <p>When the spin does not win it, the holder is most likely off its CPU (preempted by the OS on
 * a busy machine), and the waiter sleeps ({@link LockSleepers}) instead of yielding or napping:
 * spinning or yielding would compete for the very CPU the holder needs, and a fixed nap would
 * sleep on long after the release. The word has three values: {@code FREE}, {@code HELD}, and
 * {@code CONTENDED} (held, and someone may be asleep). A waiter about to sleep swaps in {@code
 * CONTENDED} (taking the lock if the swap returns {@code FREE}, still marked contended, since other
 * sleepers may remain); the release swaps in {@code FREE} and wakes one sleeper when the swap
 * returned {@code CONTENDED}.
 *
 * <p>The release is an atomic swap, as Go's {@code unlock} is, not a read followed by a release
 * store. With a read and a store, a waiter that swaps in {@code CONTENDED} between the two and goes
 * to sleep is overwritten by the store and not woken by that release: it sleeps out its bound while
 * the lock is free, and a model checker, which knows no time, sees it asleep for good. The swap
 * costs one atomic instruction per release on the uncontended path; in exchange no release can
 * miss a sleeper, and a sleeper's bound ({@link #SLEEP_NANOS}) is only a safety net, not a part of
 * the protocol.
 *
 * <p>Memory ordering: acquiring is a volatile compare-and-set or swap, releasing a volatile swap,
 * so everything written under the lock is visible to the next holder.
 *
 * <h2>The spare waiter</h2>
 *
 * A fiber that parks needs a waiter node; allocating one per park would be the only allocation of
 * a ping-pong round trip. Instead each object keeps one spare: a parking party takes it under the
 * lock, and gives it back, without the lock, once its wait is over. In a pipeline or ping-pong the
 * node of the party that just woke is the one the next party parks with, so the steady state
 * allocates nothing. The hand-back races only with other hand-backs (a lost node is garbage, never
 * shared) and with a taker under the lock; it is a release store after the node was reset, and
 * the taker reads with acquire, so a taken node is always clean. A recycled node keeps its {@code
 * owner} (this object, the only one whose spare it can become), so taking the spare writes no
 * reference into it: under G1 each reference store runs a write barrier.
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

  private static final int FREE = 0;
  private static final int HELD = 1;
  private static final int CONTENDED = 2;

  /** Busy-wait this many rounds (a few microseconds) before sleeping. */
  private static final int SPINS = 100;

  /**
   * The longest a waiter sleeps before it looks at the lock again: a safety net only, since every
   * release that finds the word contended wakes a sleeper (see the class comment).
   */
  private static final long SLEEP_NANOS = 100_000;

  /** {@link #FREE}, {@link #HELD} or {@link #CONTENDED}. Written only through {@link #LOCK}. */
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


  // ---------------------------------------------------------------------------------------------
  // The lock.

  final void spinLock() {
    if (!LOCK.compareAndSet(this, FREE, HELD)) {
      lockContended();
    }
  }

  private void lockContended() {
    for (int round = 0; round < SPINS; round++) {
      if (lockWord == FREE && LOCK.compareAndSet(this, FREE, HELD)) {
        return;
      }
      Thread.onSpinWait();
    }
    Thread.yield(); // once: a holder that lost its CPU just now may get it back at once
    while ((int) LOCK.getAndSet(this, CONTENDED) != FREE) {
      LockSleepers.sleep(this, SLEEP_NANOS);
    }
  }

  final void spinUnlock() {
    // One swap: a waiter's swap to CONTENDED is either before it (and seen here) or after it (and
    // finds the lock free). A read and then a store would lose a waiter's mark made between them.
    if ((int) LOCK.getAndSet(this, FREE) == CONTENDED) {
      LockSleepers.wakeOne(this);
    }
  }

  /** For {@link LockSleepers}, under a bucket's monitor: whether a sleep is still warranted. */
  final boolean markedContended() {
    return lockWord == CONTENDED;
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
    if (w.owner != this) {
      w.owner = this; // a new node; the spare is ours already, and a skipped store skips a barrier
    }
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
