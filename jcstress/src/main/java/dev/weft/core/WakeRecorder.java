package dev.weft.core;

/**
 * A parker that records its wake-up instead of scheduling anything: the parker of a fiber that
 * never starts, so {@link Parker#unpark} only leaves the fiber its permit (an ACTIVE fiber is
 * never queued). For stress tests outside this package that need to see whether a waker woke a
 * party.
 */
public final class WakeRecorder {
  private final Fiber fiber = new Fiber(() -> {});

  /** The parker to hand to a wait. */
  public Parker parker() {
    return fiber;
  }

  /** Whether an unpark has reached the parker. */
  public boolean woken() {
    return (fiber.stateBits() & Fiber.PERMIT) != 0;
  }
}
