package dev.weft.core;

/**
 * A blocker whose wait can be withdrawn when the waiting party is gone: a throwable (a stack
 * overflow, an out-of-memory error, the fiber stack limit while unwinding) escaped its wait, so
 * nobody will ever come back for it. Its nodes must leave every queue they are in, or a later
 * sender would "deliver" its value to a party that no longer exists and the value would be lost.
 *
 * <pre>{@code
 * // in the run loop, when a fiber ends with a throwable:
 * if (f.blocker() instanceof Withdrawable) ((Withdrawable) f.blocker()).withdraw(f);
 * }</pre>
 */
public interface Withdrawable {
  /**
   * Removes the wait of {@code party} from every queue, if this blocker is still that party's
   * wait (a blocker is reused once its wait is over: then this does nothing). Safe to call twice,
   * from any thread; never blocks for longer than the owner's short lock.
   */
  void withdraw(Parker party);
}
