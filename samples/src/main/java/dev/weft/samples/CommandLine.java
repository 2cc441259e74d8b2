package dev.weft.samples;

import java.io.PrintStream;

/**
 * Runs a sample's body with its parsed options and turns bad input into a usage line and a non-zero
 * exit status, so every sample handles its command line the same way.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   CommandLine.exit(run(args, System.out, System.err));
 * }
 * static int run(String[] args, PrintStream out, PrintStream err) {
 *   return CommandLine.run(OPTIONS, args, out, err, (o, o2, e2) -> { ... });
 * }
 * }</pre>
 */
public final class CommandLine {
  /** The exit status for bad input, as most Unix tools use. */
  public static final int USAGE_STATUS = 2;

  /** A sample's body, given its parsed options. */
  @FunctionalInterface
  public interface Body {
    /**
     * Runs the sample.
     *
     * @throws UsageException when an option value turns out to be unusable
     */
    void run(Options options, PrintStream out, PrintStream err) throws Exception;
  }

  private CommandLine() {}

  /**
   * Parses {@code args} against {@code spec} and runs {@code body}.
   *
   * @return 0 on success or help, {@link #USAGE_STATUS} on bad input
   * @throws Exception whatever the body throws, other than a {@link UsageException}
   */
  public static int run(Options spec, String[] args, PrintStream out, PrintStream err, Body body)
      throws Exception {
    try {
      body.run(spec.parse(args), out, err);
      return 0;
    } catch (UsageException e) {
      if (e.isHelp()) {
        out.println(spec.usage());
        return 0;
      }
      err.println("error: " + e.getMessage());
      err.println(spec.usage());
      return USAGE_STATUS;
    }
  }

  /** Ends the program with {@code status} unless it is 0, when the program just ends normally. */
  public static void exit(int status) {
    System.out.flush();
    if (status != 0) {
      System.exit(status);
    }
  }
}
