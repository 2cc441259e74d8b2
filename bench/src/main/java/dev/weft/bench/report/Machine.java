package dev.weft.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the comparison ran on, as {@code bench/compare.sh} recorded it: one {@code key=value} a line
 * (date, cpu, cores, memory, os, java17, java25, go, reps, command).
 *
 * <pre>{@code
 * Machine m = Machine.read(Path.of("bench/results/latest/meta.txt"));
 * String cpu = m.get("cpu");
 * }</pre>
 */
final class Machine {
  private final Map<String, String> facts;

  private Machine(Map<String, String> facts) {
    this.facts = facts;
  }

  static Machine read(Path meta) throws IOException {
    Map<String, String> facts = new LinkedHashMap<>();
    if (meta != null && Files.exists(meta)) {
      for (String line : Files.readAllLines(meta)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          facts.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
      }
    }
    return new Machine(facts);
  }

  /** The recorded value, or "unknown". */
  String get(String key) {
    String v = facts.get(key);
    return v == null || v.isEmpty() ? "unknown" : v;
  }

  /** Go's short name from {@code go version} output, e.g. "Go 1.19". */
  String goName() {
    String v = get("go");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("go(\\d+\\.\\d+)").matcher(v);
    return m.find() ? "Go " + m.group(1) : "Go";
  }
}
