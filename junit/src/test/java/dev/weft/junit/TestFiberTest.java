package dev.weft.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.Channel;
import dev.weft.DeadlockException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The test's fiber as JUnit drives it, one step at a time, without JUnit in between. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TestFiberTest {
  /**
   * After a step deadlocks, the next step (an {@code @AfterEach}) runs in a fresh fiber. The caller
   * is woken by the deadlocked step's outcome and hands over the next step at once, racing the
   * serving thread that is still ending: the step must never land in the ended server's slot.
   */
  @Test
  void theStepAfterADeadlockRunsEveryTime() throws Throwable {
    for (int round = 0; round < 200; round++) {
      TestFiber fiber = new TestFiber("round " + round);
      try {
        assertThrows(
            DeadlockException.class,
            () ->
                fiber.run(
                    () -> {
                      Channel<String> nobodySends = Channel.make();
                      return nobodySends.receive();
                    }));
        assertEquals("after", fiber.run(() -> "after"), "round " + round);
      } finally {
        fiber.close();
      }
    }
  }
}
