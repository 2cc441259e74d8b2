package dev.weft;

import dev.weft.core.Parker;
import dev.weft.frame.UninstrumentedFrameError;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Waits for a collection of fibers (or threads) to finish: Go's {@code sync.WaitGroup}. The
 * counter is raised with {@link #add} before the work starts, lowered with {@link #done} as each
 * piece ends, and {@link #await} waits until it is zero.
 *
 * <pre>{@code
 * WaitGroup wg = new WaitGroup();
 * for (String url : urls) {
 *   wg.add(1);
 *   Weft.go(() -> {
 *     fetch(url);
 *     wg.done();
 *   });
 * }
 * wg.await();
 * }</pre>
 *
 * <h2>Algorithm</h2>
 *
 * The counter is a volatile int changed by compare-and-set. Every change that brings it to zero
 * takes the queue lock ({@link Waitable}) and, under it, makes the change and wakes every waiter;
 * other changes do not lock. A waiter checks the counter under the same lock before it queues, so
 * it either sees zero or is queued before the next transition to zero, which then wakes it: no
 * wake-up is lost, and a waiter queued after the counter rose again waits for the next zero.
 *
 * <p>Cost: {@link #add} and {@link #done} that do not reach zero are one compare-and-set; {@link
 * #await} on zero is one volatile load. A parked waiter costs one waiter node.
 */
public final class WaitGroup extends Waitable {
  private static final VarHandle COUNTER;

  static {
    try {
      COUNTER = MethodHandles.lookup().findVarHandle(WaitGroup.class, "counter", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile int counter;

  /** Parked waiters, a {@link WaitList}. Guarded by the queue lock. */
  private Waiter waiters;

  /**
   * Creates a wait group whose counter is zero.
   *
   * <pre>{@code
   * WaitGroup wg = new WaitGroup();
   * }</pre>
   */
  public WaitGroup() {}

  /**
   * Adds {@code delta}, which may be negative, to the counter; when it reaches zero, every party
   * in {@link #await} is released. Call {@code add} with a positive delta before starting the work
   * it counts, not inside it.
   *
   * <pre>{@code
   * wg.add(workers.size());
   * }</pre>
   *
   * @param delta the change
   * @throws IllegalStateException when the counter would drop below zero or overflow; the counter
   *     is left unchanged
   */
  public void add(int delta) {
    noteCaller();
    for (; ; ) {
      int c = counter;
      int n = checkedSum(c, delta);
      if (n == 0 && delta != 0) {
        releaseAtZero(delta);
        return;
      }
      if (COUNTER.compareAndSet(this, c, n)) {
        return;
      }
    }
  }

  /**
   * Lowers the counter by one: {@code add(-1)}.
   *
   * <pre>{@code
   * Weft.go(() -> {
   *   work();
   *   wg.done();
   * });
   * }</pre>
   *
   * @throws IllegalStateException when the counter is already zero; it stays zero
   */
  public void done() {
    add(-1);
  }

  /**
   * Waits until the counter is zero; returns at once when it is.
   *
   * <pre>{@code
   * wg.await();
   * System.out.println("all done");
   * }</pre>
   */
  @Suspendable
  public void await() {
    noteCaller();
    if (counter == 0) {
      return;
    }
    spinLock();
    if (counter == 0) {
      spinUnlock();
      return;
    }
    Waiter w = takeWaiter();
    w.parker = Parker.current();
    waiters = WaitList.add(waiters, w);
    spinUnlock();
    try {
      do {
        w.parker.park(w);
      } while (!w.isDone());
    } catch (UninstrumentedFrameError e) {
      if (withdraw(w)) {
        throw e;
      }
      // The counter reached zero before the failed park: the wait is over.
    } catch (Throwable t) {
      // Anything else escaping the wait (a stack overflow, say) ends it for good.
      Waiter.abandon(w);
      throw t;
    }
    recycle(w);
  }

  /** The transition to zero: made under the queue lock, which is what waiters check under. */
  private void releaseAtZero(int delta) {
    spinLock();
    for (; ; ) {
      int c = counter;
      int n;
      try {
        n = checkedSum(c, delta);
      } catch (IllegalStateException e) {
        spinUnlock(); // another party moved the counter meanwhile
        throw e;
      }
      if (COUNTER.compareAndSet(this, c, n)) {
        if (n != 0) {
          spinUnlock();
          return;
        }
        break;
      }
    }
    List<Parker> woken = new ArrayList<>();
    for (Waiter w; (w = waiters) != null; ) {
      waiters = WaitList.remove(w, w);
      woken.add(Waiter.complete(w, null, true));
    }
    spinUnlock();
    for (Parker p : woken) {
      p.unpark();
    }
  }

  private boolean withdraw(Waiter w) {
    spinLock();
    boolean waiting = !w.isDone();
    if (waiting) {
      waiters = WaitList.remove(waiters, w);
    }
    spinUnlock();
    if (waiting) {
      recycle(w);
    }
    return waiting;
  }

  @Override
  void unqueue(Waiter w) {
    waiters = WaitList.remove(waiters, w);
  }

  /** The number of parked waiters; for tests and dumps. */
  int waitingAwaiters() {
    spinLock();
    int n = WaitList.countLive(waiters);
    spinUnlock();
    return n;
  }

  private static int checkedSum(int c, int delta) {
    long n = (long) c + delta;
    if (n < 0) {
      throw new IllegalStateException(
          "WaitGroup counter would drop below zero ("
              + c
              + " + "
              + delta
              + "): call done() once for each unit added with add()");
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalStateException(
          "WaitGroup counter would overflow (" + c + " + " + delta + ")");
    }
    return (int) n;
  }

  /** For example {@code WaitGroup[counter=3]@1b6d3586}. */
  @Override
  public String toString() {
    return "WaitGroup[counter="
        + counter
        + "]@"
        + Integer.toHexString(System.identityHashCode(this));
  }

  @Override
  String describeWait(Waiter w) {
    return "await " + this;
  }
}
