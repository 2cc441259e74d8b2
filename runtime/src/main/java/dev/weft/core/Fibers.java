package dev.weft.core;

import dev.weft.SuspendableRunnable;

/**
 * The scheduler operations the {@code dev.weft} API is built on, so that the scheduler itself stays
 * package-private. Not meant for applications: use {@code dev.weft.Weft}.
 *
 * <pre>{@code
 * Fibers.go(() -> System.out.println("in a fiber"));
 * }</pre>
 */
public final class Fibers {
  private Fibers() {}

  /**
   * Starts a fiber (Weft.go).
   *
   * <pre>{@code
   * Fibers.go(() -> out.send(1));
   * }</pre>
   */
  public static void go(SuspendableRunnable task) {
    if (task == null) {
      throw new NullPointerException("a fiber needs a task: pass a lambda, not null");
    }
    Scheduler.get().go(task);
  }

  /**
   * Sets or (n &lt; 1) reads n (Weft.setMaxProcs).
   *
   * <pre>{@code
   * int n = Fibers.setMaxProcs(0);
   * }</pre>
   */
  public static int setMaxProcs(int n) {
    return Scheduler.get().setMaxProcs(n);
  }

  /**
   * Live fibers (Weft.numFibers).
   *
   * <pre>{@code
   * int live = Fibers.numFibers();
   * }</pre>
   */
  public static int numFibers() {
    Scheduler s = Scheduler.peek();
    return s == null ? 0 : s.registry.count();
  }

  /**
   * Before a voluntary yield: the fiber, still ACTIVE, will be requeued by the run loop when its
   * unwind completes; a pending preemption request is satisfied by it.
   *
   * <pre>{@code
   * if (FrameStack.prepareSuspend()) { Fibers.commitYield(f); FrameStack.suspend(); }
   * }</pre>
   */
  public static void commitYield(Fiber f) {
    f.commitYield();
  }

  /**
   * Runs {@code action} once, {@code nanos} from now, on whichever thread services the timers. The
   * action must be short and must not block (a {@code trySend}, an unpark).
   *
   * <pre>{@code
   * Fibers.schedule(1_000_000, () -> ch.trySend(Instant.now()));
   * }</pre>
   *
   * @throws NullPointerException when {@code action} is null
   */
  public static void schedule(long nanos, Runnable action) {
    if (action == null) {
      throw new NullPointerException("a timer needs an action, not null");
    }
    Scheduler.get().timers.add(new CallbackTimer(Timer.deadlineAfter(Math.max(0L, nanos)), action));
  }
}
