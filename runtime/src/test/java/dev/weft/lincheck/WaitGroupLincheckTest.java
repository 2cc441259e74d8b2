package dev.weft.lincheck;

import dev.weft.WaitGroup;
import dev.weft.Weft;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lincheck on {@link WaitGroup} against a counter that cannot go below zero.
 *
 * <p>{@code add} and {@code done} never block, so Lincheck generates scenarios of them freely: the
 * counter, the refusal to drop below zero (an {@code IllegalStateException} that leaves it
 * unchanged) and the locked path of a change that reaches zero must be linearizable.
 *
 * <p>{@code await} blocks, which a generated scenario cannot express (Lincheck's Java runners have
 * no notion of an operation that waits for another). It runs in scenarios written here instead, in
 * which the counter always reaches zero in the end, so every {@code await} must return: a lost
 * wake-up hangs the scenario, which Lincheck's model checker reports as a deadlock with the
 * interleaving that caused it. The specification's {@code await} fails unless the counter is zero,
 * so an {@code await} that returns early (while the counter was never zero during the call) has no
 * linearization either. Those scenarios run from plain threads under the model checker, which
 * explores their interleavings, and again with every party in a fiber ({@link Weft#run} from each
 * of Lincheck's threads) under the stress runner: the model checker manages only the threads it
 * starts, and a fiber runs on the scheduler's workers.
 */
@Param(name = "delta", gen = IntGen.class, conf = "-1:2")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class WaitGroupLincheckTest {
  private final WaitGroup group = new WaitGroup();

  @Operation
  public void add(@Param(name = "delta") int delta) {
    group.add(delta);
  }

  @Operation
  public void done() {
    group.done();
  }

  /** Only in the scenarios written below: it blocks until the counter is zero. */
  public void await() {
    group.await();
  }

  /** The same operations, each in a fiber of its own; for the stress runner only. */
  public void addInFiber(int delta) {
    Weft.run(() -> group.add(delta));
  }

  public void doneInFiber() {
    Weft.run(group::done);
  }

  public void awaitInFiber() {
    Weft.run(group::await);
  }

  /** The sequential meaning: a counter that refuses to go below zero; await needs it at zero. */
  public static final class Spec {
    private int counter;

    public void add(int delta) {
      if (counter + delta < 0) {
        throw new IllegalStateException("WaitGroup counter would drop below zero");
      }
      counter += delta;
    }

    public void done() {
      add(-1);
    }

    public void await() {
      if (counter != 0) {
        throw new IllegalStateException("await returned while the counter was " + counter);
      }
    }

    public void addInFiber(int delta) {
      add(delta);
    }

    public void doneInFiber() {
      done();
    }

    public void awaitInFiber() {
      await();
    }
  }

  @Test
  public void addAndDoneStress() {
    new StressOptions()
        .iterations(5)
        .invocationsPerIteration(300)
        .threads(2)
        .actorsPerThread(3)
        .sequentialSpecification(Spec.class)
        .check(WaitGroupLincheckTest.class);
  }

  @Test
  public void addAndDoneModelChecking() {
    new ModelCheckingOptions()
        .iterations(5)
        .invocationsPerIteration(100)
        .threads(2)
        .actorsPerThread(3)
        .sequentialSpecification(Spec.class)
        .check(WaitGroupLincheckTest.class);
  }

  @Test
  public void awaitFromPlainThreadsModelChecking() {
    ModelCheckingOptions options =
        new ModelCheckingOptions()
            .iterations(0)
            .invocationsPerIteration(500)
            .sequentialSpecification(Spec.class);
    for (ExecutionScenario s : awaitScenarios("add", "done", "await")) {
      options.addCustomScenario(s);
    }
    options.check(WaitGroupLincheckTest.class);
  }

  @Test
  public void awaitFromFibersStress() {
    StressOptions options =
        new StressOptions()
            .iterations(0)
            .invocationsPerIteration(300)
            .sequentialSpecification(Spec.class);
    for (ExecutionScenario s : awaitScenarios("addInFiber", "doneInFiber", "awaitInFiber")) {
      options.addCustomScenario(s);
    }
    options.check(WaitGroupLincheckTest.class);
  }

  /**
   * Scenarios whose counter ends at zero, so that every await must return: two parties that each
   * finish a unit and wait for both; a waiter against the last done; a waiter against a counter
   * that rises again before it falls (a waiter queued before the first zero is woken by it, one
   * queued after the rise waits for the second); two waiters released by one done; a waiter that
   * may come before, during or after another party's whole unit of work.
   */
  private static List<ExecutionScenario> awaitScenarios(String add, String done, String await) {
    Actor addOne = actor(add, 1);
    Actor addTwo = actor(add, 2);
    Actor doneOne = actor(done);
    Actor waits = actor(await);
    return List.of(
        scenario(List.of(addTwo), List.of(doneOne, waits), List.of(doneOne, waits)),
        scenario(List.of(addOne), List.of(waits), List.of(doneOne)),
        scenario(List.of(addOne), List.of(waits), List.of(doneOne, addOne, doneOne)),
        scenario(List.of(addOne), List.of(waits, waits), List.of(doneOne)),
        scenario(List.of(), List.of(addOne, doneOne, waits), List.of(waits)));
  }

  private static ExecutionScenario scenario(
      List<Actor> init, List<Actor> first, List<Actor> second) {
    return new ExecutionScenario(init, List.of(first, second), List.of(), null);
  }

  private static Actor actor(String name, Object... args) {
    for (Method m : WaitGroupLincheckTest.class.getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == args.length) {
        return new Actor(m, List.of(args));
      }
    }
    throw new IllegalArgumentException("no operation " + name);
  }
}
