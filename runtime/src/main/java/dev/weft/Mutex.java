package dev.weft;

import dev.weft.core.Parker;
import dev.weft.frame.UninstrumentedFrameError;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A mutual-exclusion lock for fibers and threads: Go's {@code sync.Mutex}. A fiber that has to
 * wait suspends and frees its worker thread; a plain thread blocks. Not reentrant, and not owned:
 * as in Go, any party may unlock a locked mutex.
 *
 * <pre>{@code
 * Mutex mu = new Mutex();
 * mu.lock();
 * try {
 *   balance += amount;
 * } finally {
 *   mu.unlock();
 * }
 * }</pre>
 *
 * <h2>Algorithm</h2>
 *
 * The state word holds two bits: {@code LOCKED} and {@code WAITERS} (the queue of parked lockers
 * is not empty). Locking an unlocked mutex is one compare-and-set; so is unlocking one nobody waits
 * for. The queue itself is guarded by the small lock of {@link Waitable}; {@code WAITERS} is set
 * and cleared only under it, so under that lock {@code WAITERS} means exactly "the queue is not
 * empty".
 *
 * <p>A locker that finds the mutex locked sets {@code WAITERS} (by compare-and-set, so an unlock
 * racing in is noticed) and parks at the tail of the queue. An unlock that sees {@code WAITERS}
 * takes the queue's head and either
 *
 * <ul>
 *   <li>releases the mutex and wakes the head, which then competes for it like any newcomer
 *       ("barging": a running party that re-locks at once does not pay for a hand-off), or
 *   <li>when the head has already lost such a race once, keeps the mutex locked and hands it to
 *       the head directly, so that no waiter starves (Go's starvation mode, entered after one lost
 *       race instead of after 1 ms). A waiter that loses the race re-queues at the head.
 * </ul>
 *
 * <p>Memory ordering: the state word is volatile and every change of {@code LOCKED} is a
 * compare-and-set or (under the queue lock, by the holder) a volatile store, so a critical section
 * happens-before the next one. A hand-off publishes through the waiter's {@code DONE} state.
 *
 * <p>Cost: the uncontended paths allocate nothing; a parked locker reuses the mutex's spare waiter
 * node when there is one.
 */
public final class Mutex extends Waitable {
  private static final int LOCKED = 1;
  private static final int WAITERS = 2;

  /** Marks a queued waiter that already lost a race to a barging locker. */
  private static final Object STARVING =
      new Object() {
        @Override
        public String toString() {
          return "starving";
        }
      };

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Mutex.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** {@link #LOCKED} | {@link #WAITERS}. */
  private volatile int state;

  /** Parked lockers, a {@link WaitList}. Guarded by the queue lock. */
  private Waiter waiters;

  /**
   * Creates an unlocked mutex.
   *
   * <pre>{@code
   * private final Mutex mu = new Mutex();
   * }</pre>
   */
  public Mutex() {}

  /**
   * Locks the mutex, waiting while another party holds it.
   *
   * <pre>{@code
   * mu.lock();
   * try { counter++; } finally { mu.unlock(); }
   * }</pre>
   */
  @Suspendable
  public void lock() {
    noteCaller();
    if (STATE.compareAndSet(this, 0, LOCKED) || tryAcquire()) {
      return;
    }
    Waiter w = null;
    for (; ; ) {
      spinLock();
      int s = state;
      boolean mustWait =
          (s & LOCKED) != 0
              && ((s & WAITERS) != 0 || STATE.compareAndSet(this, s, s | WAITERS));
      if (!mustWait) {
        // Unlocked meanwhile (or changing under us): compete for it.
        spinUnlock();
        if (tryAcquire()) {
          if (w != null) {
            recycle(w);
          }
          return;
        }
        continue;
      }
      if (w == null) {
        w = takeWaiter();
        w.parker = Parker.current();
      }
      waiters = w.item == STARVING ? WaitList.addFirst(waiters, w) : WaitList.add(waiters, w);
      spinUnlock();
      try {
        do {
          w.parker.park(w);
        } while (!w.isDone());
      } catch (UninstrumentedFrameError e) {
        if (withdraw(w)) {
          throw e;
        }
        // An unlock dequeued us before the failed park: carry on with its outcome.
      } catch (Throwable t) {
        // Anything else escaping the wait (a stack overflow, say) ends it for good.
        Waiter.abandon(w);
        throw t;
      }
      if (w.ok || tryAcquire()) {
        recycle(w); // handed the mutex, or won the race for it
        return;
      }
      // Lost to a barging locker: wait again, first in line, to be handed the mutex next time.
      Parker p = w.parker;
      w.reset();
      w.parker = p;
      w.item = STARVING;
    }
  }

  /**
   * Locks the mutex if it is free, without waiting.
   *
   * <pre>{@code
   * if (mu.tryLock()) {
   *   try { flush(); } finally { mu.unlock(); }
   * }
   * }</pre>
   *
   * @return true when the mutex was locked by this call
   */
  public boolean tryLock() {
    noteCaller();
    return tryAcquire();
  }

  /**
   * Unlocks the mutex, waking a waiting locker if there is one. Any party may unlock it, not only
   * the one that locked it (as in Go).
   *
   * <pre>{@code
   * mu.unlock();
   * }</pre>
   *
   * @throws IllegalStateException when the mutex is not locked; it stays unlocked and usable
   */
  public void unlock() {
    noteCaller();
    for (; ; ) {
      int s = state;
      if ((s & LOCKED) == 0) {
        throw notLocked();
      }
      if (s != LOCKED) {
        break; // parties wait
      }
      if (STATE.compareAndSet(this, LOCKED, 0)) {
        return;
      }
    }
    spinLock();
    int s = state;
    if ((s & LOCKED) == 0) {
      spinUnlock();
      throw notLocked(); // a concurrent, second unlock got here first
    }
    Waiter head = waiters;
    if (head == null) {
      state = 0;
      spinUnlock();
      return;
    }
    waiters = WaitList.remove(head, head);
    boolean handOff = head.item == STARVING;
    int rest = waiters == null ? 0 : WAITERS;
    // We hold LOCKED and the queue lock: nobody else can change the state word now.
    state = handOff ? LOCKED | rest : rest;
    Parker next = Waiter.complete(head, null, handOff);
    spinUnlock();
    next.unpark();
  }

  private boolean tryAcquire() {
    for (; ; ) {
      int s = state;
      if ((s & LOCKED) != 0) {
        return false;
      }
      if (STATE.compareAndSet(this, s, s | LOCKED)) {
        return true;
      }
    }
  }

  @Override
  void unqueue(Waiter w) {
    waiters = WaitList.remove(waiters, w);
    if (waiters == null) {
      int s;
      do {
        s = state; // a barging locker may flip LOCKED meanwhile
      } while (!STATE.compareAndSet(this, s, s & ~WAITERS));
    }
  }

  /**
   * An unlock chose a party that then failed before it saw the outcome: it was handed the mutex,
   * which it never held, or woken to compete for it, which would leave the parties behind it
   * asleep. Either way the next party must be woken as if this one had locked and unlocked.
   */
  @Override
  void abandonedAfterCompletion(Waiter w) {
    if (w.ok || tryAcquire()) {
      unlock();
    }
  }

  /** Takes a waiter whose park failed out of the queue; false when an unlock dequeued it first. */
  private boolean withdraw(Waiter w) {
    spinLock();
    boolean waiting = !w.isDone();
    if (waiting) {
      waiters = WaitList.remove(waiters, w);
      if (waiters == null) {
        int s;
        do {
          s = state; // a barging locker may flip LOCKED meanwhile
        } while (!STATE.compareAndSet(this, s, s & ~WAITERS));
      }
    }
    spinUnlock();
    if (waiting) {
      recycle(w);
    }
    return waiting;
  }

  /** The number of parked lockers; for tests and dumps. */
  int waitingLockers() {
    spinLock();
    int n = WaitList.countLive(waiters);
    spinUnlock();
    return n;
  }

  private static IllegalStateException notLocked() {
    return new IllegalStateException(
        "unlock of an unlocked Mutex: call unlock() once per lock(), after lock() returned");
  }

  /** For example {@code Mutex[locked, waiters]@1b6d3586}. */
  @Override
  public String toString() {
    int s = state;
    return "Mutex["
        + ((s & LOCKED) != 0 ? "locked" : "unlocked")
        + ((s & WAITERS) != 0 ? ", waiters" : "")
        + "]@"
        + Integer.toHexString(System.identityHashCode(this));
  }

  @Override
  String describeWait(Waiter w) {
    return "lock " + this;
  }
}
