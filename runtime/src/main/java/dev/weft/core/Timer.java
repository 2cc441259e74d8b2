package dev.weft.core;

/**
 * An entry of the scheduler's {@link TimerHeap}: something to do at a deadline. Subclasses say
 * what; {@link #fire()} runs on whichever thread services the heap (an idle worker, a busy worker
 * between slices, or the monitor), so it must be short and never block.
 */
abstract class Timer {
  /** The longest delay a timer can have: deadlines are compared by difference. */
  static final long MAX_DELAY = Long.MAX_VALUE >> 1;

  /** When to fire, in {@link System#nanoTime()} units. */
  final long deadline;

  /** Position in the heap, or -1 when not in it; guarded by the heap's lock. */
  int index = -1;

  Timer(long deadline) {
    // The heap's "no timer" marker is one value of the clock: a timer due then fires 1 ns early.
    this.deadline = deadline == TimerHeap.NONE ? deadline - 1 : deadline;
  }

  /**
   * The deadline {@code nanos} from now. It may wrap around, as {@link System#nanoTime()} itself
   * may: deadlines are only ever compared by difference. A delay beyond {@link #MAX_DELAY} (146
   * years) is cut to it, so that the difference to any clock reading stays in range.
   */
  static long deadlineAfter(long nanos) {
    return System.nanoTime() + Math.min(nanos, MAX_DELAY);
  }

  /** True when deadline {@code a} comes before {@code b}; wrap-around safe. */
  static boolean before(long a, long b) {
    return a - b < 0;
  }

  /** Runs once the deadline has passed, outside the heap's lock. */
  abstract void fire();
}
