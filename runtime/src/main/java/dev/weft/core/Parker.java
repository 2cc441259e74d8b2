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
 * {@link #current()} allocates nothing: a fiber is its own parker, and a plain thread's is cached
 * in a thread-local. A fiber's park and unpark are one compare-and-set each on the fiber's state
 * word, plus the scheduler's hand-off; nothing else is allocated, except by {@link #parkNanos}: a
 * fiber's timed park re-arms the timer of its last one when that one timed out, and allocates a
 * timer entry otherwise (its first, and after a timed park an unpark ended).
 *
 * <h2>Why an interface</h2>
 *
 * The two kinds of party are {@link Fiber} and {@link ThreadParker}, which implement it
 * themselves: a waiter node that records whom to wake holds the fiber directly. A parker object
 * per fiber, as a wrapper would need, plus the fiber's field pointing at it, cost 20 of the bytes
 * of every parked fiber (a million-stage pipeline is a million of them). The call sites see at
 * most these two classes, so the dispatch is a bimorphic inline cache, as the {@code instanceof}
 * test of a wrapper was.
 */
public interface Parker {
  /**
   * The running fiber, or on a plain thread the thread's own parker.
   *
   * <pre>{@code
   * Parker me = Parker.current();
   * }</pre>
   */
  static Parker current() {
    Fiber f = Fiber.current();
    return f != null ? f : ThreadParker.current();
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
  void park(Object blocker);

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
  void parkThread(Object blocker);

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
  boolean parkNanos(Object blocker, long nanos);

  /**
   * Gives the permit: wakes the owner if it is parked, or makes its next park return at once.
   * Callable from any fiber or thread, any number of times; never blocks. Lock-free and
   * allocation-free for a fiber.
   *
   * <pre>{@code
   * waiter.unpark();
   * }</pre>
   */
  void unpark();

  /**
   * True when this parker is a fiber, false for a plain thread's. Channels use it to note that a
   * plain thread took part (see {@link WakeSource}).
   *
   * <pre>{@code
   * if (!Parker.current().isFiber()) plainThreadUsed = true;
   * }</pre>
   */
  boolean isFiber();

  /**
   * The fiber this parker is, or null for a plain thread's parker. For runtime code that keeps
   * per-fiber records (dumps, deadlock reports).
   *
   * <pre>{@code
   * Fiber f = waiter.parker.fiber();
   * }</pre>
   */
  Fiber fiber();
}
