package dev.weft.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of a JMH CSV result file ({@code -rf csv}), as {@code bench/jmh.sh} writes them.
 *
 * <pre>{@code
 * for (JmhResults.Row r : JmhResults.read(Path.of("switch.csv"))) {
 *   System.out.println(r.benchmark + " " + r.param("depth") + " " + r.score);
 * }
 * }</pre>
 */
final class JmhResults {
  private JmhResults() {}

  /** One benchmark at one parameter setting. */
  static final class Row {
    final String benchmark;
    final double score;
    final double error;
    final String unit;
    private final Map<String, String> params;

    Row(String benchmark, double score, double error, String unit, Map<String, String> params) {
      this.benchmark = benchmark;
      this.score = score;
      this.error = error;
      this.unit = unit;
      this.params = params;
    }

    /** The benchmark method's simple name. */
    String method() {
      return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    String param(String name) {
      return params.getOrDefault(name, "");
    }
  }

  /** The rows of one file; none when it does not exist. */
  static List<Row> read(Path csv) throws IOException {
    List<Row> rows = new ArrayList<>();
    if (csv == null || !Files.exists(csv)) {
      return rows;
    }
    List<String> lines = Files.readAllLines(csv);
    if (lines.isEmpty()) {
      return rows;
    }
    List<String> header = fields(lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      List<String> f = fields(line);
      Map<String, String> params = new HashMap<>();
      for (int i = 0; i < header.size() && i < f.size(); i++) {
        if (header.get(i).startsWith("Param: ")) {
          params.put(header.get(i).substring("Param: ".length()), f.get(i));
        }
      }
      rows.add(
          new Row(
              f.get(header.indexOf("Benchmark")),
              number(f.get(header.indexOf("Score"))),
              number(f.get(header.indexOf("Score Error (99.9%)"))),
              f.get(header.indexOf("Unit")),
              params));
    }
    return rows;
  }

  private static double number(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Splits one CSV line, honouring double quotes. */
  private static List<String> fields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (ch == '"') {
        quoted = !quoted;
      } else if (ch == ',' && !quoted) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
