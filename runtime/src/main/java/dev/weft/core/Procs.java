package dev.weft.core;

/**
 * Where n, the number of workers running fiber code, comes from: {@code -Dweft.maxprocs=N}, else
 * the {@code GOMAXPROCS} environment variable (read as Go reads it: ignored unless a positive
 * integer), else the number of CPUs.
 */
final class Procs {
  private Procs() {}

  /**
   * The configured n.
   *
   * @throws IllegalArgumentException when {@code -Dweft.maxprocs} is set but is not an integer from
   *     1 to {@link Scheduler#MAX_PROCS}
   */
  static int configured() {
    String property = System.getProperty("weft.maxprocs");
    if (property != null && !property.isBlank()) {
      int n = parse(property.trim());
      if (n < 1 || n > Scheduler.MAX_PROCS) {
        throw new IllegalArgumentException(
            "-Dweft.maxprocs="
                + property
                + " is not a valid number of workers: use an integer from 1 to "
                + Scheduler.MAX_PROCS);
      }
      return n;
    }
    String env = System.getenv("GOMAXPROCS");
    if (env != null) {
      int n = parse(env.trim());
      if (n > 0) {
        return Math.min(n, Scheduler.MAX_PROCS);
      }
    }
    return Runtime.getRuntime().availableProcessors();
  }

  private static int parse(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
