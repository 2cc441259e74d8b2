package dev.weft.core;

/**
 * Something a fiber can park on that tells the deadlock detector whether a plain thread could
 * still wake that fiber.
 *
 * <p>Go reports "all goroutines are asleep" when every goroutine waits on something only another
 * goroutine can finish. In Weft a plain thread can also send on a channel or release a mutex, so a
 * fiber parked on such an object is stuck only if no plain thread has ever used it. Weft's own
 * channels and sync objects implement this interface (or pass a blocker that does) and remember,
 * with one plain write, the first time a plain thread touches them ({@code
 * !Parker.current().isFiber()}). A blocker that does not implement it is assumed to be wakeable
 * from outside, so a fiber parked on it never counts as deadlocked.
 *
 * <pre>{@code
 * final class Latch implements WakeSource {
 *   private volatile boolean plainThreadUsed;
 *   public boolean plainThreadInvolved() { return plainThreadUsed; }
 *   void touch(Parker p) { if (!p.isFiber() && !plainThreadUsed) plainThreadUsed = true; }
 * }
 * }</pre>
 */
public interface WakeSource {
  /**
   * True when a plain thread has used this object, so it may still wake a fiber parked on it.
   * Read only by the deadlock detector, when every worker is idle; it may be slow-ish, never block.
   */
  boolean plainThreadInvolved();
}
