package dev.weft.conformance.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential fuzzer of the rewrite: generated programs must compute the same results,
 * exceptions and side effects plainly and in fibers that suspend at every suspend point or at
 * random ones, or fail with the uninstrumented-frame error where they suspend below a method that
 * is not annotated.
 *
 * <p>In CI it checks a fixed range of seeds. The long mode ({@code bench/fuzz.sh}) sets {@code
 * weft.fuzz.first}, {@code weft.fuzz.count} and {@code weft.fuzz.seconds}. A failure prints the
 * seed, what differed, and the program shrunk; {@code -Dweft.fuzz.first=SEED -Dweft.fuzz.count=1}
 * reproduces it.
 */
class DifferentialFuzzTest {
  /** Seeds CI checks (see docs/design.md for what they cost). */
  static final int CI_PROGRAMS = 500;

  /** Programs per compiled class. */
  static final int BATCH = 100;

  /** How long a failure may be shrunk. */
  static final long SHRINK_SECONDS = 90;

  @TempDir Path work;

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void ciRangeOfSeeds() {
    assumeTrue(System.getProperty("weft.fuzz.seconds") == null, "the long mode runs instead");
    long first = Long.getLong("weft.fuzz.first", 0);
    long count = Long.getLong("weft.fuzz.count", CI_PROGRAMS);
    fuzz(first, count, Long.MAX_VALUE, 1);
  }

  @Test
  @Timeout(value = 48, unit = TimeUnit.HOURS)
  void longMode() {
    String seconds = System.getProperty("weft.fuzz.seconds");
    assumeTrue(seconds != null, "only with -Dweft.fuzz.seconds (bench/fuzz.sh)");
    long first = Long.getLong("weft.fuzz.first", 0);
    long count = Long.getLong("weft.fuzz.count", Long.MAX_VALUE / 2);
    fuzz(first, count, System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(seconds)), 10);
  }

  private void fuzz(long first, long count, long deadline, int maxShrunk) {
    long start = System.nanoTime();
    try (Fuzzer fuzzer = new Fuzzer(work)) {
      List<Fuzzer.Failure> failures = fuzzer.run(first, count, BATCH, deadline);
      long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.printf(
          "fuzz: %d programs (seeds from %d) checked in %d ms, %d failed%n",
          fuzzer.checked, first, elapsed, failures.size());
      List<String> reports = new ArrayList<>();
      Shrinker shrinker = new Shrinker(fuzzer);
      for (Fuzzer.Failure f : failures) {
        reports.add("seed " + f.seed + ": " + f.difference);
      }
      int shrunk = 0;
      for (Fuzzer.Failure f : failures) {
        if (shrunk >= maxShrunk || f.difference.startsWith("does not compile")) {
          continue;
        }
        shrunk++;
        Fuzzer.Failure small =
            shrinker.shrink(f, System.nanoTime() + TimeUnit.SECONDS.toNanos(SHRINK_SECONDS));
        String report = "seed " + f.seed + " (shrunk: " + small.difference + "):\n" + small.source;
        System.out.println(report);
        reports.add(report);
      }
      assertTrue(failures.isEmpty(), () -> String.join("\n", reports));
    }
  }
}
