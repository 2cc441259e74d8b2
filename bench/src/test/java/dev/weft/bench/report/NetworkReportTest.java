package dev.weft.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network section is made from bench/net.sh's lines only: compare.sh's ping-pong echo shapes
 * (workload {@code echo}) once passed for net.sh's TCP echo, and a page regenerated from a
 * comparison run lost its network tables to a table of channel figures.
 *
 * <p>Where one wrk thread saturates its core, requests/s is the client's ceiling for every server
 * alike: the section shows the server's CPU per request beside it, and says whether wrk's core was
 * saturated, from net.sh's CPU keys; a run that did not record them still makes a section.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NetworkReportTest {
  /** An http line of net.sh: requests/s, then the CPU keys given (none in older runs). */
  private static String http(String system, int conns, double rate, String cpuKeys) {
    String java = system.startsWith("go") ? "" : " java=25";
    return "RESULT workload=http system=" + system + java + " procs=1 conns=" + conns
        + " seconds=5 | req_per_s=" + rate + " p50_ms=0.6 p99_ms=2 errors=0"
        + (cpuKeys.isEmpty() ? "" : " " + cpuKeys);
  }

  private static String cpu(double usPerRequest, double clientShare) {
    return "requests=470000 server_cpu_s=4.5 cpu_us_per_req=" + usPerRequest
        + " wall_s=5.01 server_cpu_share=0.9 client_cpu_s=4.8 client_cpu_share=" + clientShare;
  }

  @TempDir Path images;

  private String section(String... lines) throws Exception {
    return new NetworkReport(of(lines), Machine.read(null), images.toFile(), "images/").write();
  }

  @Test
  void theServersCpuPerRequestIsTabledWithMediansAndWeftsAdvantageAsTheirsOverWefts()
      throws Exception {
    String md =
        section(
            http("weft", 100, 95000, cpu(9.4, 0.97)),
            http("go", 100, 96000, cpu(10.0, 0.96)),
            http("weft", 100, 81000, cpu(9.0, 0.95)),
            http("go", 100, 80000, cpu(10.4, 0.97)),
            http("weft", 100, 99000, cpu(30.0, 0.99)), // one bad run: the median ignores it
            http("go", 100, 99500, cpu(9.9, 0.98)));
    assertTrue(md.contains("Server CPU per request (µs)"), md);
    String table =
        "| server | 100 connections | Weft's advantage at 100 |\n|---|---|---|\n"
            + "| Weft, dev.weft.net (Java 25) | 9.40 [9.00–30.0] | — |\n"
            + "| Go, raw TCP + bufio | 10.0 | 1.06× |\n";
    assertTrue(md.contains(table), md);
    // The target is still judged on requests/s alone.
    assertTrue(
        md.contains(
            "| requests/s at 100 connections ahead of Go's raw responder"
                + " | 95.0 k/s vs 96.0 k/s: 0.99× | **no** |"),
        md);
  }

  @Test
  void saysWhetherWrksCoreWasSaturatedAtEachConnectionCount() throws Exception {
    String md =
        section(
            http("weft", 100, 95000, cpu(9.4, 0.97)),
            http("go", 100, 96000, cpu(10.0, 0.96)),
            http("go-nethttp", 100, 50000, cpu(19.0, 0.71)),
            http("weft", 1000, 80000, cpu(11.0, 0.85)),
            http("go", 1000, 81000, cpu(11.5, 0.80)));
    assertTrue(
        md.contains(
            "`wrk`'s core was saturated, its user + system CPU 90% or more of the measured run's"
                + " wall time (GNU `time`, median of the repetitions), at 100 connections against 2"
                + " of 3 servers, all but Go, net/http (71–97%); at 1,000 connections against no"
                + " server (80–85%): where it was,"),
        md);
  }

  @Test
  void aRunWithoutTheCpuKeysStillMakesItsSectionWithDashesWhereAFigureIsMissing()
      throws Exception {
    String old = section(http("weft", 100, 95000, ""), http("go", 100, 96000, ""));
    assertFalse(old.contains("Server CPU per request"), old);
    assertTrue(old.contains("`wrk`'s own CPU was not recorded in this run."), old);
    assertTrue(old.contains("| Weft, dev.weft.net (Java 25) | 95.0 k | — |"), old);

    String mixed =
        section(
            http("weft", 100, 95000, "cpu_us_per_req=9.4"), http("go", 100, 96000, ""));
    assertTrue(mixed.contains("| Weft, dev.weft.net (Java 25) | 9.40 | — |"), mixed);
    assertTrue(mixed.contains("| Go, raw TCP + bufio | - | - |"), mixed);
  }

  @Test
  void aNotANumberWrittenByAwkReadsAsNoFigure() {
    // net.sh once wrote cpu_us_per_req=nan for a run that answered no request.
    Measurement m = Measurement.parse(http("threads", 10000, 0, "cpu_us_per_req=nan"));
    assertTrue(Double.isNaN(m.metric("cpu_us_per_req")));
    assertEquals(0, m.metric("req_per_s"));
  }
  private static ResultSet of(String... lines) {
    return new ResultSet(List.of(lines).stream().map(Measurement::parse).toList());
  }

  /** A tcp-echo line of net.sh: messages/s, then the CPU keys given (none in older runs). */
  private static String echo(String system, double rate, String cpuKeys) {
    String java = system.startsWith("go") ? "" : " java=25";
    return "RESULT workload=tcp-echo system=" + system + java + " procs=1 conns=100 size=1024 |"
        + " msgs_per_s=" + rate + " mb_per_s=" + rate * 1024 / 1e6
        + (cpuKeys.isEmpty() ? "" : " " + cpuKeys);
  }

  @Test
  void theEchoTableShowsTheServersCpuPerMessageAndTheClientsShareOfItsCore() throws Exception {
    String md =
        section(
            echo("weft", 108000, "client_cpu_share=0.99 messages_total=650000 cpu_us_per_msg=8.9"),
            echo("go", 108500, "client_cpu_share=0.98 messages_total=651000 cpu_us_per_msg=9.2"),
            echo("weft", 95000, "client_cpu_share=0.97 messages_total=570000 cpu_us_per_msg=9.1"),
            echo("go", 104000, "client_cpu_share=0.99 messages_total=624000 cpu_us_per_msg=9.6"));
    String table =
        "| server | messages/s | MB/s each way | Weft's advantage | server CPU per message (µs)"
            + " | Weft's advantage in CPU | client's core |\n|---|---|---|---|---|---|---|\n"
            + "| Weft, dev.weft.net (Java 25) | 102 k | 104 | — | 9.00 | — | 98% |\n"
            + "| Go | 106 k | 109 | 0.96× | 9.40 | 1.04× | 99% |\n";
    assertTrue(md.contains(table), md);
    assertTrue(md.contains("the client's core was saturated"), md);
    // The target is still judged on messages/s.
    assertTrue(md.contains("| 1 KB echo over 100 connections at least Go's rate | 102 k/s vs 106 k/s"), md);

    String old = section(echo("weft", 95000, ""), echo("go", 104000, ""));
    assertTrue(
        old.contains(
            "| server | messages/s | MB/s each way | Weft's advantage |\n|---|---|---|---|\n"),
        old);
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
