package dev.weft.jcstress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short jcstress pass that {@code mvn verify} runs: every stress test of this module, in
 * jcstress's {@code sanity} mode (short iterations) with one JVM configuration, in a JVM of its own
 * as jcstress wants. It proves the harness runs and catches gross ordering bugs (a plain store in place of the
 * unpark's permit CAS shows up here as a lost wake-up); {@code bench/jcstress.sh} runs the thorough
 * {@code stress} mode.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class JcstressShortPassTest {
  /** Every stress test of the module: each must have run and left its report page. */
  private static final List<String> TESTS =
      List.of(
          "dev.weft.core.RunQueueStress.PutTakeSteal",
          "dev.weft.core.RunQueueStress.RunNextSteal",
          "dev.weft.core.RunQueueStress.TwoThieves",
          "dev.weft.core.TimerHeapStress.CancelAgainstFire",
          "dev.weft.core.TimerHeapStress.CancelAgainstRebuild",
          "dev.weft.core.FiberParkStress.CommitAgainstUnpark",
          "dev.weft.core.FiberParkStress.LockedCommitAgainstWaker",
          "dev.weft.core.FiberParkStress.UnparkAgainstTimeout",
          "dev.weft.SpareWaiterStress.HandBackAgainstTake",
          "dev.weft.SpareWaiterStress.TwoHandBacks",
          "dev.weft.SelectClaimStress.TwoWakers",
          "dev.weft.SelectClaimStress.ClaimAgainstWithdraw");

  @Test
  void everyStressTestPassesInSanityMode() throws Exception {
    Path results =
        Path.of(System.getProperty("jcstress.results", "target/jcstress-results")).toAbsolutePath();
    Files.createDirectories(results);
    for (String t : TESTS) {
      Files.deleteIfExists(results.resolve(t + ".html"));
    }
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "org.openjdk.jcstress.Main",
            "-t",
            "dev.weft",
            "-m",
            "sanity",
            // One JVM configuration and no split compilation: 2 forks per test instead of 28,
            // which keeps the pass near a minute on two CPUs (about 4 minutes with all of them).
            "-jvmArgs",
            "-Xmx256m",
            "-sc",
            "false",
            "-r",
            results.toString());
    // jcstress leaves its result blob in the working directory: keep it under target/.
    Process p =
        new ProcessBuilder(command).directory(results.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(9, TimeUnit.MINUTES), out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("Failed tests: No matches."), out);
    assertTrue(out.contains("Error tests: No matches."), out);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("Results: (\\d+) planned; (\\d+) passed, 0 failed, 0 soft errs, 0 hard errs\\)\\s+RUN RESULTS")
            .matcher(out);
    assertTrue(m.find(), "the final tally: " + out);
    assertEquals(m.group(1), m.group(2), "every planned run passed");
    for (String t : TESTS) {
      assertTrue(Files.exists(results.resolve(t + ".html")), t + " ran: " + out);
    }
    assertFalse(out.contains("No scheduling is possible"), "no test needs more CPUs than CI has: " + out);
  }
}
