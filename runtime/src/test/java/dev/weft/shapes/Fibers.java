package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.weft.SuspendableCallable;
import dev.weft.SuspendableRunnable;
import dev.weft.Weft;
import java.time.Duration;

/**
 * Runs a shape test's body as the main fiber of {@link Weft#run}, with a {@link Ticker} beside it
 * and a hang guard around it (a broken suspension tends to hang rather than fail).
 *
 * <pre>{@code
 * Fibers.run(() -> {
 *   int x = 42;
 *   Pause.here();
 *   assertEquals(42, x);
 * });
 * }</pre>
 */
public final class Fibers {
  /** Generous: the guard is against hangs, not a timing assertion. */
  static final Duration HANG_GUARD = Duration.ofSeconds(20);

  private Fibers() {}

  /** Runs {@code body} in a fiber, rethrowing what it throws (checked ones wrapped by Weft). */
  public static void run(SuspendableRunnable body) {
    Witness.reset();
    try {
      assertTimeoutPreemptively(
          HANG_GUARD,
          () ->
              Weft.run(
                  () -> {
                    Ticker.start();
                    body.run();
                  }));
    } finally {
      Ticker.stopAll();
    }
  }

  /** Runs {@code body} in a fiber and returns its result. */
  public static <V> V call(SuspendableCallable<V> body) {
    Witness.reset();
    try {
      return assertTimeoutPreemptively(
          HANG_GUARD,
          () ->
              Weft.call(
                  () -> {
                    Ticker.start();
                    return body.call();
                  }));
    } finally {
      Ticker.stopAll();
    }
  }
}
