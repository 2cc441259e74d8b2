package dev.weft;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thread made inside a fiber takes its daemon status from the worker running the fiber, as
 * {@code java.lang.Thread} decides it, and workers are daemons (SPEC section 3): such a thread is
 * a daemon, unlike one made on {@code main}, unless it is told otherwise. docs/limitations.md
 * says so and gives the way out; these tests hold both to it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThreadsStartedInFibersTest {
  @Test
  void aThreadMadeInAFiberIsADaemonLikeItsWorker() {
    assertFalse(new Thread(() -> {}).isDaemon(), "on this plain test thread a new thread is a user thread");
    assertTrue(Weft.call(() -> new Thread(() -> {}).isDaemon()));
    assertFalse(
        Weft.call(() -> Executors.defaultThreadFactory().newThread(() -> {}).isDaemon()),
        "the JDK's default thread factory (and so the Executors' pools) sets the flag itself");
  }

  @Test
  void setDaemonFalseMakesItAUserThreadThatKeepsTheJvmAlive() {
    assertFalse(
        Weft.call(
            () -> {
              Thread t = new Thread(() -> {});
              t.setDaemon(false);
              return t.isDaemon();
            }));
  }
}
