package dev.weft.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Every measurement of one comparison run, with the queries the report needs: the repetitions of
 * one configuration, and the systems and settings that were run.
 *
 * <pre>{@code
 * ResultSet all = ResultSet.read(Path.of("bench/results/latest/raw.txt"));
 * Stats rate = all.stats("msgs_per_s", Query.of("pingpong", "go").procs(1));
 * }</pre>
 */
final class ResultSet {
  private final List<Measurement> all;

  ResultSet(List<Measurement> all) {
    this.all = List.copyOf(all);
  }

  /** Reads the {@code RESULT} lines of a file, ignoring every other line. */
  static ResultSet read(Path raw) throws IOException {
    List<Measurement> ms = new ArrayList<>();
    for (String line : Files.readAllLines(raw)) {
      if (line.startsWith("RESULT ")) {
        ms.add(Measurement.parse(line));
      }
    }
    return new ResultSet(ms);
  }

  boolean isEmpty() {
    return all.isEmpty();
  }

  /** The statistics of {@code metric} over every repetition matching {@code q}. */
  Stats stats(String metric, Query q) {
    return Stats.of(all.stream().filter(q).map(m -> m.metric(metric)).collect(Collectors.toList()));
  }

  /**
   * The distinct values of {@code key} among the measurements of {@code workload}, in run order.
   */
  List<String> values(String workload, String key) {
    Set<String> seen = new LinkedHashSet<>();
    for (Measurement m : all) {
      if (m.workload().equals(workload) && m.config(key) != null) {
        seen.add(m.config(key));
      }
    }
    return new ArrayList<>(seen);
  }

  /** The distinct systems of a workload, each with its JDK, in run order. */
  List<SystemId> systems(String workload) {
    Set<SystemId> seen = new LinkedHashSet<>();
    for (Measurement m : all) {
      if (m.workload().equals(workload)) {
        seen.add(new SystemId(m.system(), m.config("java")));
      }
    }
    return new ArrayList<>(seen);
  }

  /** A system as run: its name and, for Java systems, the JDK's feature version. */
  static final class SystemId {
    final String name;
    final String java;

    SystemId(String name, String java) {
      this.name = name;
      this.java = java;
    }

    boolean isWeft() {
      return name.equals("weft");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SystemId
          && ((SystemId) o).name.equals(name)
          && Objects.equals(((SystemId) o).java, java);
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + Objects.hashCode(java);
    }
  }

  /** Selects the measurements of one workload and system, optionally narrowed by settings. */
  static final class Query implements Predicate<Measurement> {
    private final String workload;
    private final SystemId system;
    private final Map<String, String> settings;

    private Query(String workload, SystemId system, Map<String, String> settings) {
      this.workload = workload;
      this.system = system;
      this.settings = settings;
    }

    static Query of(String workload, SystemId system) {
      return new Query(workload, system, Map.of());
    }

    /** Narrows to measurements whose {@code key} is {@code value}. */
    Query with(String key, Object value) {
      Map<String, String> s = new java.util.HashMap<>(settings);
      s.put(key, String.valueOf(value));
      return new Query(workload, system, s);
    }

    /** Narrows to measurements that have no {@code key} at all (kept as a null setting). */
    Query without(String key) {
      Map<String, String> s = new java.util.HashMap<>(settings);
      s.put(key, null);
      return new Query(workload, system, s);
    }

    @Override
    public boolean test(Measurement m) {
      if (!m.workload().equals(workload)
          || !m.system().equals(system.name)
          || !Objects.equals(m.config("java"), system.java)) {
        return false;
      }
      for (Map.Entry<String, String> e : settings.entrySet()) {
        if (!Objects.equals(e.getValue(), m.config(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
  }
}
