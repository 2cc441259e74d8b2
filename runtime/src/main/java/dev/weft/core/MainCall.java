package dev.weft.core;

import dev.weft.DeadlockException;
import dev.weft.Suspendable;
import dev.weft.SuspendableCallable;
import dev.weft.SuspendableRunnable;
import dev.weft.frame.FrameStack;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code Weft.run}/{@code Weft.call}: the main fiber's entry, its outcome, and the caller
 * waiting for it (a plain thread, which blocks, or a fiber, which parks).
 *
 * <pre>{@code
 * Integer answer = MainCall.call(() -> 42);
 * }</pre>
 *
 * <p>The caller is woken only after the main fiber has ended and left the registry, so that
 * {@code Weft.numFibers()} after {@code run} returns no longer counts it. Calls from plain threads
 * are listed while they wait, so that the {@link DeadlockDetector} can fail them.
 *
 * @param <V> the result type
 */
public final class MainCall<V> implements SuspendableRunnable, WakeSource {
  /** The calls that plain threads are waiting on. */
  private static final Set<MainCall<?>> PLAIN_CALLS = ConcurrentHashMap.newKeySet();

  private final SuspendableCallable<V> body;
  private final Parker caller;

  /** The plain thread waiting for this call, or null when the caller is a fiber. */
  private final Thread plainCaller;
  private volatile Fiber fiber;
  private V result;
  private Throwable failure;

  /** Set when the main fiber has ended; volatile: publishes result and failure to the caller. */
  private volatile boolean done;

  /** Set by the deadlock detector instead of {@link #done}. */
  private volatile String deadlockReport;

  private MainCall(SuspendableCallable<V> body, Parker caller) {
    this.body = body;
    this.caller = caller;
    this.plainCaller = caller.isFiber() ? null : Thread.currentThread();
  }

  /**
   * Runs {@code body} as a new fiber and waits for it: blocks a plain thread, parks a fiber.
   *
   * @return the body's result
   * @throws DeadlockException when the main fiber is blocked and no fiber can ever run again
   * @throws CompletionException wrapping a checked exception of the body; unchecked ones and errors
   *     are rethrown as they are
   */
  @Suspendable
  public static <V> V call(SuspendableCallable<V> body) {
    if (body == null) {
      throw new NullPointerException("Weft.run/call needs a body: pass a lambda, not null");
    }
    Scheduler sched = Scheduler.get();
    Fiber me = Fiber.current();
    if (me != null) {
      // Fail before starting anything when this fiber could not suspend from here (a frame on
      // its path is not instrumented): prepareSuspend throws then, naming the frame.
      FrameStack.prepareSuspend();
    }
    MainCall<V> mc = new MainCall<>(body, Parker.current());
    if (me == null) {
      PLAIN_CALLS.add(mc);
    }
    try {
      // The fiber is known before it can run: the deadlock detector may look at it at once.
      mc.fiber = new Fiber(mc);
      sched.start(mc.fiber);
      mc.await();
    } finally {
      if (me == null) {
        PLAIN_CALLS.remove(mc);
      }
    }
    return mc.outcome();
  }

  /**
   * The main fiber's entry, run by the scheduler (instrumented like any suspendable method); it
   * records the body's result or exception for the caller.
   *
   * <pre>{@code
   * // not called directly: MainCall.call(body) starts a fiber whose task is the MainCall
   * }</pre>
   */
  @Override
  @Suspendable
  public void run() {
    try {
      result = body.call();
    } catch (Throwable t) {
      failure = t;
    }
  }

  @Suspendable
  private void await() {
    while (!done && deadlockReport == null) {
      caller.park(this);
    }
  }

  private V outcome() {
    if (!done) {
      throw new DeadlockException(deadlockReport);
    }
    Throwable t = failure;
    if (t == null) {
      return result;
    }
    if (t instanceof RuntimeException) {
      throw (RuntimeException) t;
    }
    if (t instanceof Error) {
      throw (Error) t;
    }
    throw new CompletionException(t);
  }

  /** Called by the worker once the main fiber has ended and left the registry. */
  void finished() {
    done = true;
    caller.unpark();
  }

  /** Called by the deadlock detector: the caller wakes up and throws a DeadlockException. */
  void deadlocked(String report) {
    deadlockReport = report;
    caller.unpark();
  }

  /** The main fiber (null until started). */
  Fiber fiber() {
    return fiber;
  }

  /**
   * True while plain thread {@code t} waits in a {@code Weft.run}/{@code call} whose main fiber
   * has not finished: until then it can wake nobody.
   */
  static boolean isWaitingIn(Thread t) {
    for (MainCall<?> mc : PLAIN_CALLS) {
      if (mc.plainCaller == t && !mc.done && mc.deadlockReport == null) {
        return true;
      }
    }
    return false;
  }

  /** The calls plain threads are waiting on now. */
  static Set<MainCall<?>> plainCalls() {
    return PLAIN_CALLS;
  }

  /**
   * A fiber waiting for a nested main can only be woken by that main, a fiber: it counts as stuck
   * for the deadlock detector.
   *
   * <pre>{@code
   * mainCall.plainThreadInvolved(); // always false
   * }</pre>
   */
  @Override
  public boolean plainThreadInvolved() {
    return false;
  }

  @Override
  public String toString() {
    return "Weft.run of " + fiber;
  }
}
