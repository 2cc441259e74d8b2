package dev.weft.core;

/**
 * The timeout of a {@link Parker#parkNanos} on a fiber: when it fires, it ends that park, and only
 * that park (it carries the park's sequence number, see {@link Fiber}).
 *
 * <p>One per fiber, re-armed park after park: while the fiber's timed parks keep timing out (a
 * fiber that sleeps in a loop), each one re-uses the last one's timer instead of allocating a new
 * one. It lives in the fiber's {@code blocker} field, wrapping the park's real blocker ({@link
 * #blocker}), so a fiber carries no field for it; {@link Fiber#blocker()} unwraps it. Once the
 * fiber is old, that also means no reference store into an old object per sleep other than the
 * heap's own slot: a young timer in a saved frame or an old array is a card for G1 to refine and a
 * remembered-set entry to add.
 *
 * <p>When it may be re-armed (see {@link Fiber#commitTimedPark}): only after a park that its
 * timeout ended, which the fiber reads in its state word ({@link Fiber#TIMED_OUT}, set by the very
 * CAS of {@link Fiber#timeoutWake}). By then the timer was popped from its heap under the lock and
 * claimed, and {@link #fire()} has read {@link #seq} (before that CAS, which the fiber's resumption
 * comes after): nobody touches it again. A park ended by an unpark drops the timer instead (the
 * fiber's next timed park makes a new one): it may still wait in its heap as a cancelled entry, or
 * be firing on another thread right now.
 */
final class TimedWake extends Timer {
  /** Returned by {@link Fiber#commitTimedPark} for a park with no time left and no permit. */
  static final TimedWake EXPIRED = new TimedWake(null);

  private final Fiber fiber;

  /**
   * The sequence number of the park this timer ends. Written by the fiber before the commit CAS it
   * numbers and before the add; read by {@link #fire()} after the pop, under the same heap lock.
   */
  int seq;

  /** The blocker the park was given, what {@link Fiber#blocker()} returns. Written by the fiber. */
  Object blocker;

  TimedWake(Fiber fiber) {
    super(0L);
    this.fiber = fiber;
  }

  /** The timer's state, {@link #seq} and {@link #fiber}, and the state word of that fiber. */
  @Override
  int warm() {
    return super.warm() + seq + fiber.warm();
  }

  @Override
  void fire() {
    fiber.timeoutWake(seq);
  }

  @Override
  public String toString() {
    return String.valueOf(blocker);
  }
}
