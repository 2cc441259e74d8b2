package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Suspendable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A synchronized block inside a try inside a loop: the handler of the try covers the monitor's
 * region and leads back to the loop. The agent's count of held monitors once grew by one on every
 * turn of that cycle and never settled, so loading the class never ended.
 */
@Timeout(60)
class SynchronizedInLoopShapeTest extends ShapeTest {
  /** Loaded only inside the fiber, under the hang guard, so that a hang fails the test. */
  static final class Retrying {
    static final Object LOCK = new Object();

    @Suspendable
    static int retries() {
      int n = 0;
      for (int i = 0; i < 3; i++) {
        try {
          synchronized (LOCK) {
            n += i;
            if (i == 1) {
              throw new IllegalStateException("retry");
            }
          }
        } catch (IllegalStateException e) {
          n += 10;
        }
        n += Pause.i(100);
      }
      return n;
    }
  }

  @Test
  void aMonitorInATryInALoopIsCountedOnce() {
    assertEquals(313, (int) Fibers.call(Retrying::retries));
  }
}
