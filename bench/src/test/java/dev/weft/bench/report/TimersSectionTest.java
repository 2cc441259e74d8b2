package dev.weft.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timers section checks issue 8's goal from medians, Weft against Go at each GOMAXPROCS, and
 * lives between its own markers, so that the other scripts' regenerated pages keep it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimersSectionTest {
  private static final String WEFT =
      "RESULT workload=timers system=weft java=17 procs=%d fibers=%d rounds=20 | late_mean_ms=%s"
          + " late_p50_ms=1 late_p99_ms=15 late_max_ms=40 wall_s=2.5 cpu_s=%s cpu_run_s=2.9";
  private static final String GO =
      "RESULT workload=timers system=go go=go1.19.8 procs=%d fibers=%d rounds=20 | late_mean_ms=%s"
          + " late_p50_ms=0.003 late_p99_ms=400 late_max_ms=800 wall_s=2.9 cpu_s=%s cpu_run_s=2.5";

  @TempDir Path images;

  private String section(String... lines) throws Exception {
    ResultSet results = new ResultSet(List.of(lines).stream().map(Measurement::parse).toList());
    assertTrue(TimersSection.present(results));
    return new TimersSection(results, Machine.read(null), images.toFile(), "images/").write();
  }

  @Test
  void eachTargetIsJudgedOnMediansAgainstGoAtTheSameSetting() throws Exception {
    String md =
        section(
            String.format(WEFT, 1, 100000, "3", "2.4"),
            String.format(GO, 1, 100000, "20", "2.6"),
            String.format(WEFT, 1, 100000, "4", "2.5"),
            String.format(GO, 1, 100000, "22", "2.5"),
            String.format(WEFT, 1, 100000, "90", "9.0"), // one bad run: the median ignores it
            String.format(GO, 1, 100000, "21", "2.7"),
            String.format(WEFT, 2, 100000, "5", "3.9"),
            String.format(GO, 2, 100000, "9", "2.6"),
            String.format(WEFT, 2, 10000, "1", "1.9"),
            String.format(GO, 2, 10000, "0.8", "0.4"));
    assertTrue(
        md.contains(
            "| 100,000 sleeping fibers, GOMAXPROCS=1, Java 17: mean lateness at or below Go's"
                + " | 4.00 vs 21.0 ms (p99 15.0 vs 400 ms) | yes |"),
        md);
    assertTrue(
        md.contains(
            "| 100,000 sleeping fibers, GOMAXPROCS=1, Java 17: CPU at or below Go's"
                + " | 2.50 vs 2.60 s: 0.96× | yes |"),
        md);
    assertTrue(
        md.contains(
            "| 100,000 sleeping fibers, GOMAXPROCS=2, Java 17: CPU at or below Go's"
                + " | 3.90 vs 2.60 s: 1.50× | **no** |"),
        md);
    // The goal is stated at 100,000 fibers; 10,000 is shown, not judged.
    assertFalse(md.contains("10,000 sleeping fibers"), md);
    assertTrue(md.contains("| 10,000 | 2 | Weft, Java 17 | 1.00 ms |"), md);
    assertTrue(new File(images.toFile(), "perf-timers-cpu.png").isFile());
    assertTrue(new File(images.toFile(), "perf-timers-lateness.png").isFile());
  }

  @Test
  void theSectionReplacesItsOwnPartOfThePageOnly() throws Exception {
    String page = "# Performance\n\n## Ping-pong\n\nfigures\n\n## How this was measured\n\n* x\n";
    String once = TimersSection.MARKS.splice(page, "## Timers\n\nfirst\n");
    assertTrue(once.startsWith("# Performance\n\n## Ping-pong\n\nfigures\n\n" + TimersSection.MARKS.begin));
    String twice = TimersSection.MARKS.splice(once, "## Timers\n\nsecond\n");
    assertEquals(once.replace("first", "second"), twice);
    assertEquals("## Timers\n\nsecond\n", TimersSection.MARKS.extract(twice));
    // The network section of the same page is a different block: both live side by side.
    String both = NetworkBlock.splice(twice, "## Network\n\nn\n");
    assertEquals("## Timers\n\nsecond\n", TimersSection.MARKS.extract(both));
    assertEquals("## Network\n\nn\n", NetworkBlock.extract(both));
  }
}
