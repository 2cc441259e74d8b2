package dev.weft.lincheck;

import dev.weft.Channel;
import dev.weft.Select;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lincheck on {@link Select#trySelect} over two buffered channels from plain threads: selects
 * that send to either channel or to one, and a select that receives from whichever has a value.
 * Which ready case a select picks is random, so the operations report only what the sequential
 * meaning fixes: whether the receive found a value anywhere. That holds only if the select looks at
 * both channels at one instant (under both locks), whatever the sends on either do meanwhile. The
 * buffers are larger than a scenario sends, so a send never finds its channel full.
 */
@Param(name = "v", gen = IntGen.class, conf = "1:4")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class SelectLincheckTest {
  private static final int CAPACITY = 32;

  private final Channel<Integer> a = Channel.make(CAPACITY);
  private final Channel<Integer> b = Channel.make(CAPACITY);

  @Operation
  public boolean sendA(@Param(name = "v") int v) {
    return Select.trySelect(Select.send(a, v)) == 0;
  }

  @Operation
  public boolean sendEither(@Param(name = "v") int v) {
    return Select.trySelect(Select.send(a, v), Select.send(b, v)) >= 0;
  }

  @Operation
  public boolean receiveEither() {
    Select.Case<Integer> fromA = Select.receive(a);
    Select.Case<Integer> fromB = Select.receive(b);
    int pick = Select.trySelect(fromA, fromB);
    if (pick < 0) {
      return false;
    }
    Select.Case<Integer> won = pick == 0 ? fromA : fromB;
    if (!won.ok() || won.value() == null) {
      throw new AssertionError("a chosen receive case on an open channel carries no value");
    }
    return true;
  }

  /** The sequential meaning: one count of buffered values over both channels. */
  public static final class Spec {
    private int buffered;

    public boolean sendA(int v) {
      buffered++;
      return true;
    }

    public boolean sendEither(int v) {
      buffered++;
      return true;
    }

    public boolean receiveEither() {
      if (buffered == 0) {
        return false;
      }
      buffered--;
      return true;
    }
  }

  @Test
  public void stress() {
    new StressOptions()
        .iterations(5)
        .invocationsPerIteration(300)
        .threads(2)
        .actorsPerThread(3)
        .sequentialSpecification(Spec.class)
        .check(SelectLincheckTest.class);
  }

  @Test
  public void modelChecking() {
    new ModelCheckingOptions()
        .iterations(5)
        .invocationsPerIteration(100)
        .threads(2)
        .actorsPerThread(3)
        .sequentialSpecification(Spec.class)
        .check(SelectLincheckTest.class);
  }
}
