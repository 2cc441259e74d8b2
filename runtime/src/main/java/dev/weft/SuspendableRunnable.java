package dev.weft;

/**
 * A task that runs in a fiber and may suspend: the body of {@link Weft#go} and {@link Weft#run}.
 *
 * <pre>{@code
 * Weft.go(() -> out.send("hello"));
 * }</pre>
 */
@FunctionalInterface
public interface SuspendableRunnable {
  /** Runs the task; may suspend the calling fiber. */
  @Suspendable
  void run() throws Exception;
}
