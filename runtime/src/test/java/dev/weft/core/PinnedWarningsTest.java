package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pinning warning says only what is true about the ways out. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PinnedWarningsTest {
  private final String text = PinnedWarnings.message("Shop.buy(Shop.java:12)");

  @Test
  void namesThePlaceAndTheMutexThatSuspends() {
    assertTrue(text.contains("Shop.buy(Shop.java:12)"), text);
    assertTrue(text.contains("dev.weft.Mutex"), text);
    assertTrue(text.contains("suspends"), text);
  }

  @Test
  void doesNotClaimThatAJavaUtilConcurrentLockCanSuspend() {
    assertFalse(text.contains("java.util.concurrent lock so that it can suspend"), text);
    // A j.u.c lock parks the worker thread: the message says so rather than recommending it.
    assertTrue(text.contains("java.util.concurrent lock"), text);
    assertTrue(text.contains("blocks the worker thread"), text);
  }
}
