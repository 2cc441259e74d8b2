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
  void warmRunsAreShownApartAndNeverJudgeTheGoal() throws Exception {
    String warmWeft =
        "RESULT workload=timers system=weft java=17 procs=%d fibers=100000 rounds=20 warmups=2 |"
            + " late_mean_ms=%s late_p50_ms=1 late_p99_ms=9 late_max_ms=30 wall_s=2.2 cpu_s=%s"
            + " cpu_run_s=%s workers_cpu_s=2.0";
    String warmGo =
        "RESULT workload=timers system=go go=go1.19.8 procs=%d fibers=100000 rounds=20 warmups=2 |"
            + " late_mean_ms=%s late_p50_ms=0.003 late_p99_ms=300 late_max_ms=700 wall_s=2.8"
            + " cpu_s=%s cpu_run_s=%s";
    String md =
        section(
            String.format(WEFT, 1, 100000, "3", "3.1"),
            String.format(GO, 1, 100000, "20", "2.5"),
            String.format(WEFT, 2, 100000, "5", "3.7"),
            String.format(GO, 2, 100000, "9", "2.5"),
            // Three warm repetitions at each setting: their CPU is below Go's, whose runs start
            // later than the fresh ones.
            String.format(warmWeft, 1, "1.5", "8.1", "2.2"),
            String.format(warmGo, 1, "21", "7.4", "2.4"),
            String.format(warmWeft, 1, "1.7", "8.0", "2.3"),
            String.format(warmGo, 1, "23", "7.5", "2.5"),
            String.format(warmWeft, 1, "1.6", "8.2", "2.25"),
            String.format(warmGo, 1, "22", "7.3", "2.45"),
            String.format(warmWeft, 2, "6", "8.5", "2.3"),
            String.format(warmGo, 2, "8", "7.6", "2.5"),
            String.format(warmWeft, 2, "6", "8.5", "2.3"),
            String.format(warmGo, 2, "8", "7.6", "2.5"),
            String.format(warmWeft, 2, "6", "8.5", "2.3"),
            String.format(warmGo, 2, "8", "7.6", "2.5"));
    // The goal stays judged on the fresh processes alone: the warm lines move no median there.
    assertTrue(
        md.contains(
            "| 100,000 sleeping fibers, GOMAXPROCS=1, Java 17: CPU at or below Go's"
                + " | 3.10 vs 2.50 s: 1.24× | **no** |"),
        md);
    assertTrue(
        md.contains(
            "| 100,000 sleeping fibers, GOMAXPROCS=1, Java 17: mean lateness at or below Go's"
                + " | 3.00 vs 20.0 ms (p99 15.0 vs 400 ms) | yes |"),
        md);
    assertTrue(
        md.contains("| 100,000 | 1 | Weft, Java 17 | 3.00 ms | 15.0 ms | 40.0 ms | 3.10 s |"), md);
    // The steady state: the third run of the workload in one process, Weft against Go.
    assertTrue(md.contains("### Steady state"), md);
    assertTrue(md.contains("`--warmups 2`"), md);
    assertTrue(
        md.contains("| 1 | Weft, Java 17 | 2.25 s | 2.45 s | 0.92× | 1.60 ms | 22.0 ms |"), md);
    assertTrue(
        md.contains("| 2 | Weft, Java 17 | 2.30 s | 2.50 s | 0.92× | 6.00 ms | 8.00 ms |"), md);
    // The steady state's rows sit in their own table, not among the fresh processes'.
    assertFalse(md.contains("| 100,000 | 1 | Weft, Java 17 | 1.60 ms"), md);
  }

  @Test
  void aWarmPassAloneShowsOnlyTheSteadyState() throws Exception {
    String md =
        section(
            "RESULT workload=timers system=weft java=17 procs=1 fibers=100000 rounds=20 warmups=2 |"
                + " late_mean_ms=1.6 late_p99_ms=9 cpu_s=8 cpu_run_s=1.9",
            "RESULT workload=timers system=go go=go1.19.8 procs=1 fibers=100000 rounds=20"
                + " warmups=2 | late_mean_ms=23 late_p99_ms=600 cpu_s=7.7 cpu_run_s=2.5");
    assertFalse(md.contains("| target"), md);
    assertFalse(md.contains("| fibers |"), md);
    assertFalse(md.contains("perf-timers-cpu.png"), md);
    assertTrue(
        md.contains("| 1 | Weft, Java 17 | 1.90 s | 2.50 s | 0.76× | 1.60 ms | 23.0 ms |"), md);
  }

  @Test
  void withoutWarmRunsThereIsNoSteadyStateTable() throws Exception {
    String md =
        section(
            String.format(WEFT, 1, 100000, "3", "3.1"), String.format(GO, 1, 100000, "20", "2.5"));
    assertFalse(md.contains("Steady state"), md);
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
