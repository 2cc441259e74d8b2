package dev.weft;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits, bounded, for a state that nothing signals: what a fiber dump shows, the number of open
 * file descriptors, a counter of the runtime's own. Where the test controls the code that reaches
 * the state, a latch or a channel is the right tool; this is for the states only observable from
 * outside. The caller asserts the state afterwards, so a limit that runs out fails the test with
 * the caller's message rather than here.
 *
 * <pre>{@code
 * Eventually.until(() -> Weft.dumpFibers().contains("parked on read"), Duration.ofSeconds(10));
 * assertTrue(Weft.dumpFibers().contains("parked on read"));
 * }</pre>
 */
public final class Eventually {
  private static final long LOOK_EVERY_NANOS = 1_000_000;

  private Eventually() {}

  /** Returns once {@code state} holds, or when {@code limit} has passed; says which. */
  public static boolean until(BooleanSupplier state, Duration limit) {
    long giveUp = System.nanoTime() + limit.toNanos();
    while (!state.getAsBoolean()) {
      if (System.nanoTime() - giveUp >= 0) {
        return false;
      }
      LockSupport.parkNanos(LOOK_EVERY_NANOS);
    }
    return true;
  }
}
