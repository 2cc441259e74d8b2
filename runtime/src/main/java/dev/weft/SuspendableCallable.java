package dev.weft;

/**
 * A computation that runs in a fiber, may suspend, and returns a value: the body of {@link
 * Weft#call}.
 *
 * <pre>{@code
 * int n = Weft.call(() -> results.receive());
 * }</pre>
 *
 * @param <V> the result type
 */
@FunctionalInterface
public interface SuspendableCallable<V> {
  /** Computes the result; may suspend the calling fiber. */
  @Suspendable
  V call() throws Exception;
}
