package dev.weft.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JMH section of the report, from the CSV files {@code bench/jmh.sh} writes into one directory:
 * {@code switch.csv} (suspend and resume at depth, under the agent) and {@code call-agent.csv} /
 * {@code call-plain.csv} (a suspendable call that does not suspend, with and without the agent).
 * Empty when the directory was not given.
 *
 * <pre>{@code
 * JmhTables jmh = JmhTables.read(Path.of("bench/results/jmh-20261128"));
 * jmh.append(markdown);
 * }</pre>
 */
final class JmhTables {
  private final List<JmhResults.Row> switches;
  private final List<JmhResults.Row> callsWithAgent;
  private final List<JmhResults.Row> callsWithout;

  private JmhTables(
      List<JmhResults.Row> switches,
      List<JmhResults.Row> callsWithAgent,
      List<JmhResults.Row> callsWithout) {
    this.switches = switches;
    this.callsWithAgent = callsWithAgent;
    this.callsWithout = callsWithout;
  }

  static JmhTables read(Path dir) throws IOException {
    if (dir == null) {
      return new JmhTables(List.of(), List.of(), List.of());
    }
    return new JmhTables(
        JmhResults.read(dir.resolve("switch.csv")),
        JmhResults.read(dir.resolve("call-agent.csv")),
        JmhResults.read(dir.resolve("call-plain.csv")));
  }

  void append(StringBuilder md) {
    if (switches.isEmpty() && callsWithAgent.isEmpty()) {
      return;
    }
    md.append("## Micro-benchmarks (JMH)\n\n");
    if (!switches.isEmpty()) {
      md.append("Suspend and resume of a fiber whose stack is *depth* suspendable frames deep:")
          .append(" two fibers on one worker take turns through `Weft.gosched()` or through an")
          .append(" unbuffered channel; time per switch (one suspension and one resumption).\n\n")
          .append("| via | depth | ns per switch |\n|---|---|---|\n");
      for (JmhResults.Row r : switches) {
        md.append("| ")
            .append(r.param("via"))
            .append(" | ")
            .append(r.param("depth"))
            .append(" | ")
            .append(Format.sig(r.score))
            .append(" ± ")
            .append(Format.sig(r.error))
            .append(" |\n");
      }
      md.append('\n');
    }
    if (!callsWithAgent.isEmpty()) {
      Map<String, JmhResults.Row> plain = new LinkedHashMap<>();
      for (JmhResults.Row r : callsWithout) {
        plain.put(r.method(), r);
      }
      md.append("A call to a suspendable method that does not suspend, in a loop, on a plain")
          .append(" thread and inside a fiber, inlined by the JIT or not: the same jar with and")
          .append(" without the agent.\n\n")
          .append("| benchmark | with the agent (ns) | without (ns) | added (ns) |\n")
          .append("|---|---|---|---|\n");
      for (JmhResults.Row r : callsWithAgent) {
        JmhResults.Row p = plain.get(r.method());
        md.append("| ")
            .append(r.method())
            .append(" | ")
            .append(Format.sig(r.score))
            .append(" ± ")
            .append(Format.sig(r.error))
            .append(" | ")
            .append(p == null ? "-" : Format.sig(p.score) + " ± " + Format.sig(p.error))
            .append(" | ")
            .append(p == null ? "-" : Format.sig(r.score - p.score))
            .append(" |\n");
      }
      md.append('\n');
    }
  }
}
