package dev.weft;

/**
 * A function that may suspend: the suspendable counterpart of {@link java.util.function.Function},
 * for code of your own that takes a function and calls it on a fiber. Lambdas and method references
 * passed as one are suspendable without an annotation of their own; a method reference's target
 * must be {@code @Suspendable} when it suspends.
 *
 * <pre>{@code
 * @Suspendable
 * static <T, R> List<R> mapAll(List<T> in, SuspendableFunction<T, R> f) throws Exception {
 *   List<R> out = new ArrayList<>();
 *   for (T t : in) out.add(f.apply(t));   // f may block on a channel, sleep, await...
 *   return out;
 * }
 *
 * List<String> pages = mapAll(urls, url -> fetch(url));
 * }</pre>
 *
 * @param <T> the type of the argument
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface SuspendableFunction<T, R> {
  /** Applies the function to {@code t}; may suspend the calling fiber. */
  @Suspendable
  R apply(T t) throws Exception;
}
