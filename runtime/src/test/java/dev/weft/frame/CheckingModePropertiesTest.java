package dev.weft.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.modes.StartFibers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The checking modes' properties: what they accept, what they refuse (with the property and the
 * allowed values in the message, when the runtime starts), and the stress mode's decisions as a
 * function of the seed alone.
 */
@Timeout(60)
class CheckingModePropertiesTest {

  @Test
  void checkPathIsTrueOrFalse() {
    assertTrue(PathCheck.enabled("true"));
    assertTrue(PathCheck.enabled(" TRUE "));
    assertFalse(PathCheck.enabled("false"));
    assertFalse(PathCheck.enabled(null));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PathCheck.enabled("yes"));
    assertEquals("-Dweft.checkPath=yes is not valid: use true or false", e.getMessage());
  }

  @Test
  void theProbabilityIsAboveZeroAndAtMostOne() {
    assertEquals(0, StressYield.threshold(null));
    assertEquals(1L << 53, StressYield.threshold("1"));
    assertEquals(1L << 52, StressYield.threshold("0.5"));
    assertTrue(StressYield.threshold("1e-300") >= 1, "a tiny P still yields now and then");
    for (String bad : new String[] {"0", "-0.1", "1.5", "NaN", "often", "Infinity"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> StressYield.threshold(bad));
      assertTrue(e.getMessage().startsWith("-Dweft.stress.yield=" + bad + " is not a probability"));
      assertTrue(e.getMessage().contains("above 0 and at most 1"), e.getMessage());
    }
  }

  @Test
  void theSeedIsALong() {
    assertEquals(-7, StressYield.seed("-7"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StressYield.seed("0x10"));
    assertEquals(
        "-Dweft.stress.seed=0x10 is not a seed: use an integer (a long, e.g. 1)", e.getMessage());
  }

  @Test
  void decisionsDependOnTheSeedAndFollowTheProbability() {
    long threshold = StressYield.threshold("0.05");
    int n = 65_536;
    boolean[] seed1 = new boolean[n];
    int yields = 0;
    int differ = 0;
    for (int k = 0; k < n; k++) {
      seed1[k] = StressYield.yieldsAt(1, k, threshold);
      yields += seed1[k] ? 1 : 0;
      differ += seed1[k] != StressYield.yieldsAt(2, k, threshold) ? 1 : 0;
      assertEquals(seed1[k], StressYield.yieldsAt(1, k, threshold), "not a function of seed and n");
      assertTrue(StressYield.yieldsAt(1, k, StressYield.threshold("1")));
    }
    assertTrue(yields > 0.04 * n && yields < 0.06 * n, yields + " yields out of " + n);
    assertNotEquals(0, differ, "seeds 1 and 2 make the same decisions");
  }

  private static Process start(String... properties) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(List.of(properties));
    command.add(StartFibers.class.getName());
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static String output(Process p) throws Exception {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return out;
  }

  @Test
  void aBadValueStopsTheRuntimeAtStartUpSayingWhatToUse() throws Exception {
    String[][] cases = {
      {"-Dweft.stress.yield=2", "-Dweft.stress.yield=2 is not a probability"},
      {"-Dweft.stress.seed=x", "-Dweft.stress.seed=x is not a seed"},
      {"-Dweft.checkPath=on", "-Dweft.checkPath=on is not valid: use true or false"},
    };
    for (String[] c : cases) {
      Process p = start(c[0]);
      String out = output(p);
      assertNotEquals(0, p.exitValue(), out);
      assertTrue(out.contains("IllegalArgumentException: " + c[1]), out);
      assertFalse(out.contains("started"), out);
    }
  }

  @Test
  void theStressModeAnnouncesItsSeed() throws Exception {
    Process p = start("-Dweft.stress.yield=0.5", "-Dweft.stress.seed=42");
    String out = output(p);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("probability 0.5 (-Dweft.stress.seed=42 repeats this run)"), out);
    assertTrue(out.contains("started"), out);
  }
}
