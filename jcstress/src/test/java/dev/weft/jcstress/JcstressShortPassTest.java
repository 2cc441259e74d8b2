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
 * jcstress's {@code sanity} mode (one fork, short iterations), in a JVM of its own as jcstress
 * wants. It proves the harness runs and catches gross ordering bugs; {@code bench/jcstress.sh}
 * runs the thorough {@code stress} mode.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class JcstressShortPassTest {
  @Test
  void everyStressTestPassesInSanityMode() throws Exception {
    Path results =
        Path.of(System.getProperty("jcstress.results", "target/jcstress-results")).toAbsolutePath();
    Files.createDirectories(results);
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
    assertTrue(Integer.parseInt(m.group(1)) >= 3, "the three tests ran: " + out);
    assertFalse(out.contains("No scheduling is possible"), "no test needs more CPUs than CI has: " + out);
  }
}
