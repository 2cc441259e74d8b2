package dev.weft.core;

/**
 * Something a fiber can park on that tells the deadlock detector whether a plain thread could
 * still wake that fiber.
 *
 * <p>Go reports "all goroutines are asleep" when every goroutine waits on something only another
 * goroutine can finish. In Weft a plain thread can also send on a channel or release a mutex, so a
 * fiber parked on such an object is stuck only if no plain thread that used it can still act: one
 * that has ended cannot, nor can one waiting inside {@code Weft.run}/{@code call} for a main fiber
 * that is itself stuck. Weft's own channels and sync objects implement this interface (or pass a
 * blocker that does) and keep a {@link PlainUsers} record of the plain threads that touched them.
 * A blocker that does not implement it is assumed to be wakeable from outside, so a fiber parked
 * on it never counts as deadlocked.
 *
 * <pre>{@code
 * final class Latch implements WakeSource {
 *   private volatile Object users;                       // a PlainUsers record
 *   public boolean plainThreadInvolved() { return PlainUsers.mayStillAct(users); }
 *   void touch() { if (Fiber.current() == null) users = PlainUsers.with(users); } // CAS it
 * }
 * }</pre>
 */
public interface WakeSource {
  /**
   * True when a plain thread that may still act has used this object, so it may still wake a
   * fiber parked on it. Read only by the deadlock detector, when every worker is idle; it may be
   * slow-ish, never block.
   */
  boolean plainThreadInvolved();
}
