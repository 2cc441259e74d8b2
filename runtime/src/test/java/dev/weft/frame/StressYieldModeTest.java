package dev.weft.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Weft;
import dev.weft.modes.StressProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stress mode, run with {@code -Dweft.stress.yield=P} (any P) and {@code -Dweft.stress.seed}:
 * the fiber really yields (another fiber sees it suspended, its frames saved), exactly at the
 * calls the seed says, the same calls on every run, and computes what it computes without the mode.
 * At maxprocs 1, so that the observer fiber runs only while the subject is suspended.
 */
@Timeout(60)
class StressYieldModeTest {
  private static final int CALLS = 1000;
  private static final ToIntFunction<FrameStack> DRAWS = s -> s.stressDraws;
  private static int previousMaxProcs;

  @BeforeAll
  static void oneWorker() {
    previousMaxProcs = Weft.setMaxProcs(1);
  }

  @AfterAll
  static void restoreWorkers() {
    Weft.setMaxProcs(previousMaxProcs);
  }

  /** The calls the seed makes yield, from the decision function alone. */
  private static List<Integer> predicted(StressProbe.Run run) {
    List<Integer> calls = new ArrayList<>();
    for (int k = 0; k < run.drawAtCall.size(); k++) {
      if (StressYield.yieldsAt(StressYield.SEED, run.drawAtCall.get(k), StressYield.THRESHOLD)) {
        calls.add(k);
      }
    }
    return calls;
  }

  @Test
  void theModeIsOn() {
    assertTrue(StressYield.ENABLED, "run this test with -Dweft.stress.yield=P");
    assertTrue(FrameStack.STRESS_YIELD);
  }

  @Test
  void aFiberYieldsExactlyAtTheCallsTheSeedSays() {
    StressProbe.Run run = StressProbe.run(CALLS, DRAWS);
    assertEquals(CALLS, run.drawAtCall.size());
    List<Integer> seen = run.callsThatYielded();
    assertFalse(seen.isEmpty(), "the fiber never yielded in " + CALLS + " calls");
    assertEquals(predicted(run), seen);
    assertEquals(seen.size(), run.seenYieldingAt.size(), "a yield was seen outside the calls");
  }

  @Test
  void theSameSeedYieldsAtTheSameCallsOnEveryRun() {
    List<Integer> first = StressProbe.run(CALLS, DRAWS).callsThatYielded();
    List<Integer> second = StressProbe.run(CALLS, DRAWS).callsThatYielded();
    assertFalse(first.isEmpty());
    assertEquals(first, second);
  }

  /**
   * The subject's loop starts at the same draw on every run: what the probe does before it must
   * not depend on the order in which the worker picks fibers (every 61st pick takes its ring
   * before runNext). Two hundred runs: a probe that depends on it shifts about one run in fifty.
   */
  @Test
  void theLoopStartsAtTheSameDrawOnEveryRun() {
    Set<Integer> firstDraws = new TreeSet<>();
    for (int i = 0; i < 200; i++) {
      firstDraws.add(StressProbe.run(20, DRAWS).drawAtCall.get(0));
    }
    assertEquals(1, firstDraws.size(), "first draws of the loop: " + firstDraws);
  }

  @Test
  void theResultIsWhatThePlainComputationGives() {
    long plain = StressProbe.work(CALLS, DRAWS, null);
    StressProbe.Run run = StressProbe.run(CALLS, DRAWS);
    assertFalse(run.callsThatYielded().isEmpty());
    assertEquals(plain, run.result);
  }
}
