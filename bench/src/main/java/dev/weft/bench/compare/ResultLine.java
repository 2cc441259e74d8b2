package dev.weft.bench.compare;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measurement in the line format the report generator reads, the same for every system and
 * language: {@code RESULT key=value ... | metric=value ...}; what is left of the bar says what was
 * run, what is right of it what was measured.
 *
 * <pre>{@code
 * new ResultLine("pingpong", "weft")
 *     .config("procs", 1)
 *     .metric("msgs_per_s", 8.2e6)
 *     .print(System.out);
 * }</pre>
 */
final class ResultLine {
  private final Map<String, String> config = new LinkedHashMap<>();
  private final Map<String, String> metrics = new LinkedHashMap<>();

  ResultLine(String workload, String system) {
    config.put("workload", workload);
    config.put("system", system);
  }

  ResultLine config(String key, long value) {
    config.put(key, Long.toString(value));
    return this;
  }

  ResultLine metric(String key, double value) {
    metrics.put(key, String.format(Locale.ROOT, "%.6g", value));
    return this;
  }

  void print(PrintStream out) {
    StringBuilder b = new StringBuilder("RESULT");
    config.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
    b.append(" |");
    metrics.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
    out.println(b);
    out.flush();
  }
}
