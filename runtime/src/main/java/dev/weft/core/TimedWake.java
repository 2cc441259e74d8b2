package dev.weft.core;

/**
 * The timeout of one {@link Parker#parkNanos} on a fiber: when it fires, it ends that park, and
 * only that park (it carries the park's sequence number, see {@link Fiber}).
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

  /**
   * Removes the timer after the fiber woke up.
   *
   * @return true when it was still pending, so the wake-up came from an unpark; false when it had
   *     fired (the park timed out)
   */
  boolean cancel() {
    return Scheduler.get().timers.remove(this);
  }
}
