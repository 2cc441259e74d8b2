package dev.weft.lincheck;

import dev.weft.Mutex;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lincheck on {@link Mutex}'s non-blocking operations from plain threads, against a lock that is a
 * boolean: {@code tryLock} succeeds exactly when it is free, and {@code unlock} of a free mutex
 * fails, as Go's does, whoever calls it (a Weft mutex, like Go's, is not owned by a thread).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class MutexLincheckTest {
  private final Mutex mutex = new Mutex();

  @Operation
  public boolean tryLock() {
    return mutex.tryLock();
  }

  @Operation
  public void unlock() {
    mutex.unlock();
  }

  /** The sequential meaning. */
  public static final class Spec {
    private boolean held;

    public boolean tryLock() {
      if (held) {
        return false;
      }
      held = true;
      return true;
    }

    public void unlock() {
      if (!held) {
        throw new IllegalStateException("unlock of unlocked mutex");
      }
      held = false;
    }
  }

  @Test
  public void stress() {
    new StressOptions()
        .iterations(10)
        .invocationsPerIteration(300)
        .threads(2)
        .actorsPerThread(3)
        .sequentialSpecification(Spec.class)
        .check(MutexLincheckTest.class);
  }

  @Test
  public void modelChecking() {
    new ModelCheckingOptions()
        .iterations(10)
        .invocationsPerIteration(100)
        .threads(2)
        .actorsPerThread(3)
        .sequentialSpecification(Spec.class)
        .check(MutexLincheckTest.class);
  }
}
