package dev.weft.core;

/**
 * The timeout of one {@link Parker#parkNanos} on a fiber: when it fires, it ends that park, and
 * only that park (it carries the park's sequence number, see {@link Fiber}). After the wake-up,
 * {@link Timer#cancel()} tells which ended it: true when the timer was still waiting (an unpark
 * did), false when it had fired (the park timed out).
 *
 * <p>A fiber keeps one and reuses it for its next timed park once it is {@link Timer#isSpent()
 * spent}, so that a sleep allocates nothing and stores no young object into the old heap arrays
 * and saved frames (each such store costs the collector a card to refine). {@link #fire()} reads
 * the sequence number before it marks the timer spent, so a fiber woken meanwhile by an unpark,
 * which may then re-arm the timer for its next park, cannot change the number this firing ends;
 * a timer still firing, or cancelled and so still in some heap, is not reused: the fiber takes a
 * new one.
 */
final class TimedWake extends Timer {
  /** Returned by {@link Fiber#commitTimedPark} for a park with no time left and no permit. */
  static final TimedWake EXPIRED = new TimedWake(null, 0, 0L);

  private final Fiber fiber;
  private int seq;

  TimedWake(Fiber fiber, int seq, long deadline) {
    super(deadline);
    this.fiber = fiber;
    this.seq = seq;
  }

  /** By its fiber, for its next timed park: only once {@link #isSpent()}; then add it. */
  void rearm(int seq, long deadline) {
    this.seq = seq;
    reuse(deadline);
  }

  @Override
  void fire() {
    int s = seq;
    markSpent(); // after the read: the fiber may re-arm it from here on
    fiber.timeoutWake(s);
  }
}
