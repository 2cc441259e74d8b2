package dev.weft.bench.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The network section is made from bench/net.sh's lines only: compare.sh's ping-pong echo shapes
 * (workload {@code echo}) once passed for net.sh's TCP echo, and a page regenerated from a
 * comparison run lost its network tables to a table of channel figures.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NetworkReportTest {
  private static ResultSet of(String... lines) {
    return new ResultSet(List.of(lines).stream().map(Measurement::parse).toList());
  }

  @Test
  void theEchoShapesOfAComparisonRunAreNoNetworkResults() {
    assertFalse(
        NetworkReport.hasResults(
            of(
                "RESULT workload=echo system=weft-lambda java=17 procs=1 | msgs_per_s=1.3e+07",
                "RESULT workload=echo system=go procs=1 | msgs_per_s=5.8e+06")));
  }

  @Test
  void theTcpEchoOfANetworkRunIs() {
    assertTrue(
        NetworkReport.hasResults(
            of("RESULT workload=tcp-echo system=go procs=1 conns=100 size=1024 | msgs_per_s=1.1e+05")));
  }
}
