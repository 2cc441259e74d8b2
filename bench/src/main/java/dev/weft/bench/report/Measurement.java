package dev.weft.bench.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code RESULT} line: what was run (workload, system, parallelism, sizes, JDK) and what was
 * measured.
 *
 * <pre>{@code
 * Measurement m =
 *     Measurement.parse("RESULT workload=pingpong system=go procs=1 | msgs_per_s=8.1e6");
 * double rate = m.metric("msgs_per_s");
 * }</pre>
 */
final class Measurement {
  private final Map<String, String> config;
  private final Map<String, Double> metrics;

  private Measurement(Map<String, String> config, Map<String, Double> metrics) {
    this.config = Collections.unmodifiableMap(config);
    this.metrics = Collections.unmodifiableMap(metrics);
  }

  /**
   * Reads one line.
   *
   * @throws IllegalArgumentException when it is not a well-formed {@code RESULT} line
   */
  static Measurement parse(String line) {
    if (!line.startsWith("RESULT ") || line.indexOf(" | ") < 0) {
      throw new IllegalArgumentException("not a RESULT line: " + line);
    }
    int bar = line.indexOf(" | ");
    Map<String, String> config = new LinkedHashMap<>();
    for (String kv : line.substring("RESULT ".length(), bar).trim().split("\\s+")) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("bad key=value '" + kv + "' in: " + line);
      }
      config.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (String kv : line.substring(bar + 3).trim().split("\\s+")) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("bad metric '" + kv + "' in: " + line);
      }
      metrics.put(kv.substring(0, eq), number(kv.substring(eq + 1)));
    }
    if (!config.containsKey("workload") || !config.containsKey("system")) {
      throw new IllegalArgumentException("a RESULT line needs workload= and system=: " + line);
    }
    return new Measurement(config, metrics);
  }

  /** A metric's value; awk's "nan" (a figure that could not be had) reads as NaN, no figure. */
  private static double number(String v) {
    boolean notANumber = v.equalsIgnoreCase("nan") || v.equalsIgnoreCase("-nan");
    return notANumber ? Double.NaN : Double.parseDouble(v);
  }

  String workload() {
    return config.get("workload");
  }

  String system() {
    return config.get("system");
  }

  /** A configuration value, or null. */
  String config(String key) {
    return config.get(key);
  }

  /** An integer configuration value, or {@code dflt} when absent. */
  int configInt(String key, int dflt) {
    String v = config.get(key);
    return v == null ? dflt : Integer.parseInt(v);
  }

  /** A metric, or NaN when this line did not measure it. */
  double metric(String key) {
    Double v = metrics.get(key);
    return v == null ? Double.NaN : v;
  }
}
