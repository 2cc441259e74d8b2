package dev.weft.bench.compare;

import dev.weft.Weft;
import dev.weft.samples.CommandLine;
import dev.weft.samples.Options;
import dev.weft.samples.UsageException;
import java.util.Arrays;

/**
 * Runs one workload on one system once and prints one {@code RESULT} line; {@code bench/compare.sh}
 * calls it for every system, parallelism and repetition, and the report generator reads the lines.
 *
 * <pre>{@code
 * java -javaagent:agent/target/weft-agent.jar -cp bench/target/weft-bench.jar \
 *     dev.weft.bench.compare.Compare pingpong weft --procs 1 --seconds 3
 * }</pre>
 *
 * <p>The parallelism is fixed when the JVM starts for virtual threads ({@code
 * -Djdk.virtualThreadScheduler.parallelism}) and for platform threads that share channels ({@code
 * taskset}); {@code --procs} must match it, and this checks that it does, so a wrong script fails
 * instead of mislabelling its figures. Weft's is set live.
 */
public final class Compare {
  private static final String USAGE =
      "usage: Compare pingpong|pipeline|mandelbrot|cliche|fanin|select|echo SYSTEM --procs P"
          + " [--seconds S] [--warmup S] [--stages N] [--messages M] [--size N] [--iterations N]"
          + " [--runs R] [--warmups W] [--rounds R] [--shape lambda|ref|loop]"
          + " [--payload fresh|same]";

  private Compare() {}

  /** Runs one measurement; see the class comment. */
  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    CommandLine.exit(run(args));
  }

  private static int run(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println(USAGE);
      return CommandLine.USAGE_STATUS;
    }
    Options spec =
        new Options(USAGE)
            .value("procs")
            .value("seconds")
            .value("warmup")
            .value("stages")
            .value("messages")
            .value("size")
            .value("iterations")
            .value("runs")
            .value("warmups")
            .value("rounds")
            .value("shape")
            .value("payload");
    String workload = args[0];
    BenchSystem system;
    try {
      system = BenchSystem.parse(args[1]);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return CommandLine.USAGE_STATUS;
    }
    return CommandLine.run(
        spec,
        Arrays.copyOfRange(args, 2, args.length),
        System.out,
        System.err,
        (o, out, err) -> {
          int procs = o.integer("procs", Runtime.getRuntime().availableProcessors(), 1);
          checkParallelism(system, procs, workload);
          ResultLine line;
          switch (workload) {
            case "pingpong":
              line = PingPongBench.run(system, o);
              break;
            case "pipeline":
              line = PipelineBench.run(system, o);
              break;
            case "mandelbrot":
              line = MandelbrotBench.run(system, o, procs);
              break;
            case "cliche":
              line = ClicheBench.run(system, o);
              break;
            case "fanin":
            case "select":
              line = ContendedBench.run(workload, system, o);
              break;
            case "echo":
              line = EchoBench.run(system, o);
              break;
            default:
              throw new UsageException("unknown workload '" + workload + "'");
          }
          line.config("procs", procs).config("java", Runtime.version().feature()).print(out);
        });
  }

  private static void checkParallelism(BenchSystem system, int procs, String workload)
      throws UsageException {
    if (system.isWeft()) {
      Weft.setMaxProcs(procs);
      return;
    }
    boolean pooled = system.threads == ThreadKind.PLATFORM && workload.equals("mandelbrot");
    if (!pooled && system.parallelism() != procs) {
      throw new UsageException(
          system
              + " runs with parallelism "
              + system.parallelism()
              + " here, not --procs "
              + procs
              + ": start the JVM with -Djdk.virtualThreadScheduler.parallelism (virtual threads)"
              + " or under taskset (platform threads)");
    }
  }
}
