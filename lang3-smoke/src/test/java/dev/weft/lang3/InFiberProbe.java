package dev.weft.lang3;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Weft;
import org.junit.jupiter.api.Test;

/**
 * Run among the chosen lang3 tests, with no {@code @ExtendWith}: it passes only if extension
 * auto-detection put it in a fiber, and so the lang3 tests beside it too. Its name keeps it out
 * of the build's own test run, where no extension is detected.
 */
class InFiberProbe {
  @Test
  void runsInsideAFiber() {
    assertTrue(Weft.inFiber(), "WeftExtension was not auto-detected: the test ran on a plain thread");
  }
}
