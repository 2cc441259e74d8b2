package dev.weft.core;

import java.util.concurrent.atomic.AtomicReference;

/**
 * What the scheduler tests wait for in a fiber's state. The waits spin on the condition itself
 * (with {@link Thread#yield()}), never for a fixed time; the test's own timeout bounds them.
 */
final class FiberStates {
  private FiberStates() {}

  /** The fiber a test's fiber publishes in {@code ref}, once it has. */
  static Fiber awaitPublished(AtomicReference<Fiber> ref) {
    Fiber f;
    while ((f = ref.get()) == null) {
      Thread.yield();
    }
    return f;
  }

  /** Waits until {@code f} is parked on {@code blocker}. */
  static void awaitParkedOn(Fiber f, Object blocker) {
    while (!isParked(f) || f.blocker() != blocker) {
      Thread.yield();
    }
  }

  /** Whether {@code f} is parked now (a racy snapshot, as every read of another fiber's state). */
  static boolean isParked(Fiber f) {
    return (f.stateBits() & Fiber.STATE_MASK) == Fiber.PARKED;
  }
}
