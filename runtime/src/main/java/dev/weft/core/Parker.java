package dev.weft.core;

import dev.weft.Suspendable;
import dev.weft.frame.FrameStack;

/**
 * A party that waits: the current fiber, or the current plain thread. The one waiting primitive
 * that channels, select, WaitGroup, Mutex and sleep are built on.
 *
 * <p>It has the semantics of {@link java.util.concurrent.locks.LockSupport}: each parker holds at
 * most one permit; {@link #unpark()} gives it, {@link #park} consumes it or waits for it. An
 * unpark that comes before the park is never lost, even while a fiber is half-way through
 * suspending; several unparks before one park leave one permit. As with LockSupport, a permit left
 * over from an earlier, abandoned wait can end the next park early, so callers re-check their own
 * condition in a loop:
 *
 * <pre>{@code
 * Parker me = Parker.current();
 * waiters.add(me);                       // publish, then check, then park: no lost wake-up
 * while (!ready) {
 *   me.park(this);                      // a fiber suspends, a plain thread blocks
 * }
 * // elsewhere, from any thread:
 * ready = true;
 * waiters.poll().unpark();
 * }</pre>
 *
 * <h2>Fibers and threads</h2>
 *
 * On a fiber, {@link #park} suspends the fiber and frees its worker thread; the fiber is resumed on
 * some worker after {@link #unpark()}. A fiber that holds a {@code synchronized} monitor on its path
 * cannot unwind (it is <em>pinned</em>): it blocks its worker thread instead, and the scheduler
 * adds a compensating worker for as long as it blocks, so other fibers keep running; a warning
 * names the place once. On a plain thread, park blocks the thread. Plain threads' parks ignore
 * interrupts (as Go's blocking operations do), keeping the thread's interrupt status.
 *
 * <h2>Deadlock detection</h2>
 *
 * The blocker passed to {@link #park} is what dumps show the fiber waiting on. When it implements
 * {@link WakeSource} and says no plain thread has used it, a fiber parked on it counts as stuck for
 * the deadlock detector; any other blocker (or null) counts as wakeable from outside.
 *
 * <h2>Cost</h2>
 *
 * {@link #current()} allocates nothing after a fiber's first park (a fiber's parker is created once
 * and kept; a plain thread's is cached in a thread-local). A fiber's park and unpark are one
 * compare-and-set each on the fiber's state word, plus the scheduler's hand-off; nothing else is
 * allocated, except for {@link #parkNanos}, which allocates its timer entry.
 */
public final class Parker {
  private static final ThreadLocal<Parker> THREAD_PARKERS =
      new ThreadLocal<>() {
        @Override
        protected Parker initialValue() {
          return new Parker(new ThreadParker(Thread.currentThread()));
        }
      };

  /**
   * The waiting party: a {@link Fiber} or a {@link ThreadParker}. One field only, so a fiber's
   * parker costs 16 bytes of heap.
   */
  private final Object owner;

  private Parker(Object owner) {
    this.owner = owner;
  }

  /** The parker a fiber hands out: created by the fiber itself, once. */
  static Parker forFiber(Fiber f) {
    return new Parker(f);
  }

  /**
   * The running fiber's parker, or on a plain thread the thread's own parker.
   *
   * <pre>{@code
   * Parker me = Parker.current();
   * }</pre>
   */
  public static Parker current() {
    Fiber f = Fiber.current();
    return f != null ? f.parker() : THREAD_PARKERS.get();
  }

  /**
   * Waits until {@link #unpark()} is called, or returns at once when a permit is already there;
   * consumes the permit either way. Must be called by the fiber or thread this parker belongs to.
   *
   * <pre>{@code
   * Parker.current().park(channel);
   * }</pre>
   *
   * @param blocker what the caller waits on, for dumps and deadlock reports (may be null)
   * @throws dev.weft.frame.UninstrumentedFrameError when a frame on the fiber's path was not
   *     instrumented; nothing has been committed then, so the caller may simply let it propagate
   * @throws IllegalStateException when called by another fiber or thread than the owner
   */
  @Suspendable
  public void park(Object blocker) {
    Object o = owner;
    if (o instanceof Fiber) {
      Fiber f = (Fiber) o;
      f.checkRunning();
      // Must be called right here, from the method that calls suspend(), to see its armed bits.
      if (FrameStack.prepareSuspend()) {
        if (f.commitPark(blocker)) {
          FrameStack.suspend();
        }
      } else {
        f.parkPinned(blocker);
      }
    } else {
      ((ThreadParker) o).park(blocker);
    }
  }

  /**
   * Waits until {@link #unpark()} by blocking the calling thread, never by suspending: for runtime
   * code whose own {@link FrameStack#prepareSuspend()} returned false, that is on a plain thread or
   * on a fiber pinned by a monitor on its path (the scheduler then hands the worker's place to
   * another worker while it blocks). Consumes the permit, as {@link #park} does.
   *
   * <pre>{@code
   * if (!FrameStack.prepareSuspend()) {  // a plain thread, or a pinned fiber
   *   Parker me = Parker.current();
   *   waiters.add(me);
   *   while (!ready) me.parkThread(this);
   * }
   * }</pre>
   *
   * @param blocker what the caller waits on, for dumps and deadlock reports (may be null)
   * @throws IllegalStateException when called by another fiber or thread than the owner
   */
  public void parkThread(Object blocker) {
    Object o = owner;
    if (o instanceof Fiber) {
      Fiber f = (Fiber) o;
      f.checkRunning();
      f.parkPinned(blocker);
    } else {
      ((ThreadParker) o).park(blocker);
    }
  }

  /**
   * As {@link #park}, but gives up after {@code nanos} nanoseconds. A fiber's timeout is kept in
   * the scheduler's timer heap: no thread per waiting fiber.
   *
   * <pre>{@code
   * boolean woken = Parker.current().parkNanos(channel, 1_000_000); // 1 ms
   * }</pre>
   *
   * @param blocker what the caller waits on, for dumps (may be null)
   * @param nanos the longest wait; zero or less only consumes a permit that is already there
   * @return true when woken by {@link #unpark()} (or a permit that was already there), false when
   *     the time ran out
   * @throws dev.weft.frame.UninstrumentedFrameError as {@link #park}
   * @throws IllegalStateException when called by another fiber or thread than the owner
   */
  @Suspendable
  public boolean parkNanos(Object blocker, long nanos) {
    Object o = owner;
    if (o instanceof Fiber) {
      Fiber f = (Fiber) o;
      f.checkRunning();
      if (FrameStack.prepareSuspend()) {
        TimedWake t = f.commitTimedPark(blocker, nanos);
        if (t == null) {
          return true; // a permit was there
        }
        if (t == TimedWake.EXPIRED) {
          return false; // no permit, and no time to wait
        }
        FrameStack.suspend();
        // Still in the heap: the timer did not fire, so an unpark woke us.
        return t.cancel();
      }
      return f.parkPinnedNanos(blocker, nanos);
    }
    return ((ThreadParker) o).parkNanos(blocker, nanos);
  }

  /**
   * Gives the permit: wakes the owner if it is parked, or makes its next park return at once.
   * Callable from any fiber or thread, any number of times; never blocks.
   *
   * <pre>{@code
   * waiter.unpark();
   * }</pre>
   */
  public void unpark() {
    Object o = owner;
    if (o instanceof Fiber) {
      ((Fiber) o).unpark();
    } else {
      ((ThreadParker) o).unpark();
    }
  }

  /**
   * True when this parker belongs to a fiber, false for a plain thread's. Channels use it to note
   * that a plain thread took part (see {@link WakeSource}).
   *
   * <pre>{@code
   * if (!Parker.current().isFiber()) plainThreadUsed = true;
   * }</pre>
   */
  public boolean isFiber() {
    return owner instanceof Fiber;
  }

  /**
   * The fiber this parker belongs to, or null for a plain thread's parker. For runtime code that
   * keeps per-fiber records (dumps, deadlock reports).
   */
  public Fiber fiber() {
    Object o = owner;
    return o instanceof Fiber ? (Fiber) o : null;
  }

  @Override
  public String toString() {
    return "Parker[" + owner + "]";
  }
}
