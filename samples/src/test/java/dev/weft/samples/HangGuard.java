package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.function.ThrowingSupplier;

/** Runs a sample under a time limit, so that one that hangs fails its test instead of the build. */
final class HangGuard {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  private HangGuard() {}

  static <T> T within(ThrowingSupplier<T> run) {
    return assertTimeoutPreemptively(LIMIT, run);
  }
}
