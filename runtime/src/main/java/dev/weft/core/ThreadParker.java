package dev.weft.core;

import java.util.concurrent.locks.LockSupport;

/**
 * A plain thread's {@link Parker}: a permit flag in front of {@link LockSupport}, so that a park
 * returns only after an unpark (LockSupport alone may return spuriously, or because other code on
 * the thread consumed its permit). One per thread, cached.
 */
final class ThreadParker implements Parker {
  // An anonymous class, not a lambda: this runs on the way to the first fiber, where a lambda's
  // bootstrap costs start-up time.
  private static final ThreadLocal<ThreadParker> PARKERS =
      new ThreadLocal<>() {
        @Override
        protected ThreadParker initialValue() {
          return new ThreadParker(Thread.currentThread());
        }
      };

  private final Thread thread;

  /**
   * 1 when an unpark is pending. Volatile: the unparker's writes before {@link #unpark()} must be
   * visible to the thread when its park returns, and the park's read must not be hoisted.
   */
  private volatile int permit;

  private ThreadParker(Thread thread) {
    this.thread = thread;
  }

  /** The calling thread's parker, created on its first call. */
  static ThreadParker current() {
    return PARKERS.get();
  }

  @Override
  public void park(Object blocker) {
    parkUntilUnparked(blocker);
  }

  /**
   * The loop of {@link #park}, in a method of its own. {@code park} overrides a suspendable method,
   * so it is rewritten, and a rewritten loop gets preemption checks whose resume entries jump into
   * its body: the loop's control flow becomes irreducible, and Lincheck's model checker then no
   * longer sees it as a spin it must interrupt ({@code WaitGroupLincheckTest} hung in it). This
   * loop runs only on a plain thread, which never suspends, so it loses nothing by staying plain,
   * and a plain thread's park no longer counts back-edges.
   */
  private void parkUntilUnparked(Object blocker) {
    checkOwner();
    boolean interrupted = false;
    while (permit == 0) {
      LockSupport.park(blocker);
      // An interrupt makes LockSupport.park return at once: clear it so we do not spin, and put it
      // back when we leave.
      if (Thread.interrupted()) {
        interrupted = true;
      }
    }
    permit = 0;
    if (interrupted) {
      thread.interrupt();
    }
  }

  @Override
  public void parkThread(Object blocker) {
    parkUntilUnparked(blocker);
  }

  @Override
  public boolean parkNanos(Object blocker, long nanos) {
    return parkUntilUnparkedOrTimedOut(blocker, nanos);
  }

  /** The loop of {@link #parkNanos}, kept out of the rewritten method as {@link #park}'s is. */
  private boolean parkUntilUnparkedOrTimedOut(Object blocker, long nanos) {
    checkOwner();
    boolean interrupted = false;
    boolean woken;
    // Cut as timers are: a huge timeout must not wrap into the past.
    long deadline = System.nanoTime() + Math.min(Math.max(nanos, 0L), Timer.MAX_DELAY);
    for (; ; ) {
      if (permit != 0) {
        woken = true;
        break;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        woken = false;
        break;
      }
      LockSupport.parkNanos(blocker, left);
      if (Thread.interrupted()) {
        interrupted = true;
      }
    }
    if (woken) {
      permit = 0;
    }
    if (interrupted) {
      thread.interrupt();
    }
    return woken;
  }

  @Override
  public void unpark() {
    if (permit == 0) {
      permit = 1;
      LockSupport.unpark(thread);
    }
  }

  private void checkOwner() {
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException(
          "a Parker can only be parked by its own thread; call Parker.current() on the waiting"
              + " thread");
    }
  }

  @Override
  public boolean isFiber() {
    return false;
  }

  @Override
  public Fiber fiber() {
    return null;
  }

  @Override
  public String toString() {
    return "Parker[" + thread.getName() + "]";
  }
}
