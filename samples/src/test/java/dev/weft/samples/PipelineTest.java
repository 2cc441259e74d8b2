package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PipelineTest {
  @Test
  void passesValuesThroughEveryStage() throws Exception {
    Captured c =
        HangGuard.within(() -> Captured.run(Pipeline::run, "--stages", "2,000", "--messages", "3"));
    assertEquals(0, c.status, c.toString());
    assertEquals(2000, c.number("Pipeline: ([\\d,]+) stages"));
    assertTrue(c.number("median of (\\d+)") == 3, c.toString());
    assertTrue(c.number("per hop: +([\\d,]+) ns") >= 0, c.toString());
    double perStage = c.number("heap per stage: ([\\d,]+) bytes");
    assertTrue(perStage > 0, "a parked stage must cost some heap: " + c);
  }

  @Test
  void maxStopsWithinItsBudget() throws Exception {
    Captured c =
        HangGuard.within(
            () -> Captured.run(Pipeline::run, "--max", "--budget", "16", "--messages", "1"));
    assertEquals(0, c.status, c.toString());
    double stages = c.number("--max: ([\\d,]+) stages fit in 16 MB");
    double perStage = c.number("heap per stage: ([\\d,]+) bytes");
    assertTrue(stages > 0, c.toString());
    assertTrue(
        stages * perStage <= 16 << 20 || stages == 20_000,
        "beyond the calibration stages, the stages must fit the budget: " + c);
    assertTrue(
        !c.out.contains("OutOfMemoryError") && !c.err.contains("OutOfMemoryError"), c.toString());
  }

  @Test
  void rejectsBadOptions() throws Exception {
    for (String[] args :
        new String[][] {
          {"--stages", "-5"}, {"--stages", "many"}, {"--frobnicate"}, {"--max", "--stages", "10"}
        }) {
      Captured c = Captured.run(Pipeline::run, args);
      assertEquals(CommandLine.USAGE_STATUS, c.status, String.join(" ", args) + ": " + c);
      assertTrue(c.err.contains("usage: Pipeline"), c.toString());
    }
  }
}
