package dev.weft;

/**
 * Thrown by {@link Weft#run} and {@link Weft#call} when the main fiber is blocked and no fiber can
 * ever run again: Go's "all goroutines are asleep - deadlock!". The message lists every blocked
 * fiber, what it waits on and where.
 *
 * <pre>{@code
 * Weft.run(() -> Channel.make().receive()); // DeadlockException
 * }</pre>
 */
public class DeadlockException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message listing the blocked fibers. */
  public DeadlockException(String message) {
    super(message);
  }

  /** Creates the exception with the default message. */
  public DeadlockException() {
    super("all fibers are asleep - deadlock!");
  }
}
