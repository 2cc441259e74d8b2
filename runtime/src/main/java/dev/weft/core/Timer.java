package dev.weft.core;

/**
 * An entry of the scheduler's {@link TimerHeap}: something to do at a deadline. Subclasses say
 * what; {@link #fire()} runs on whichever thread services the heap (an idle worker, a busy worker
 * between slices, or the monitor), so it must be short and never block.
 */
abstract class Timer {
  /** When to fire, in {@link System#nanoTime()} units. */
  final long deadline;

  /** Position in the heap, or -1 when not in it; guarded by the heap's lock. */
  int index = -1;

  Timer(long deadline) {
    this.deadline = deadline;
  }

  /** The deadline {@code nanos} from now, saturating instead of wrapping for huge timeouts. */
  static long deadlineAfter(long nanos) {
    long now = System.nanoTime();
    long d = now + nanos;
    return nanos > 0 && d < now ? Long.MAX_VALUE - 1 : d;
  }

  /** Runs once the deadline has passed, outside the heap's lock. */
  abstract void fire();
}
