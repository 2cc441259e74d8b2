package dev.weft.core;

/**
 * The timeout of one {@link Parker#parkNanos} on a fiber: when it fires, it ends that park, and
 * only that park (it carries the park's sequence number, see {@link Fiber}). After the wake-up,
 * {@link Timer#cancel()} tells which ended it: true when the timer was still waiting (an unpark
 * did), false when it had fired (the park timed out).
 */
final class TimedWake extends Timer {
  /** Returned by {@link Fiber#commitTimedPark} for a park with no time left and no permit. */
  static final TimedWake EXPIRED = new TimedWake(null, 0, 0L);

  private final Fiber fiber;
  private final int seq;

  TimedWake(Fiber fiber, int seq, long deadline) {
    super(deadline);
    this.fiber = fiber;
    this.seq = seq;
  }

  @Override
  void fire() {
    fiber.timeoutWake(seq);
  }
}
