package dev.weft;

/**
 * A body that takes one value and may suspend: used by {@link Channel#forEach}.
 *
 * <pre>{@code
 * in.forEach(v -> out.send(v * v));
 * }</pre>
 *
 * @param <T> the type of value accepted
 */
@FunctionalInterface
public interface SuspendableConsumer<T> {
  /** Accepts a value; may suspend the calling fiber. */
  @Suspendable
  void accept(T t) throws Exception;
}
