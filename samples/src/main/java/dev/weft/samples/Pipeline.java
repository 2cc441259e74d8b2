package dev.weft.samples;

import dev.weft.Suspendable;
import dev.weft.Weft;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * Exercise 9.4 of <i>The Go Programming Language</i>: a pipeline of N fibers joined by unbuffered
 * channels. Prints how long it took to set up, how long one value takes to go through it, the time
 * per hop and the heap each parked stage costs; {@code --max} grows the pipeline until the heap is
 * nearly full instead.
 *
 * <pre>{@code
 * ./weft run Pipeline --stages 1000000
 * JAVA_OPTS=-Xmx8g ./weft run Pipeline --max
 * }</pre>
 *
 * <p>How it measures, and why:
 *
 * <ul>
 *   <li>setup is the time to make the channels and start the fibers; a fiber first runs when a
 *       worker gets to it, so the first value's transit includes every stage's first run and is
 *       shown apart from the steady-state transit (the median of {@code --messages} values);
 *   <li>heap per stage is the live heap after full collections with every stage parked on its
 *       receive, minus the live heap before, over N. The pipeline stays reachable while it is
 *       measured: values go through it afterwards, so nothing can have been collected;
 *   <li>{@code --max} first measures a small pipeline to learn the cost of a stage, then adds
 *       stages in chunks while the heap has room for the next chunk plus a headroom, so it stops
 *       cleanly instead of running into an {@code OutOfMemoryError}. {@code --budget MB} caps the
 *       heap it may use, for a quick look at a big machine.
 * </ul>
 */
public final class Pipeline {
  static final Options OPTIONS =
      new Options(
              "usage: Pipeline [--stages N] [--messages M] [--procs N]"
                  + "  |  Pipeline --max [--budget MB] [--messages M] [--procs N]")
          .value("stages")
          .value("messages")
          .value("procs")
          .value("budget")
          .flag("max");

  /** Stages made for --max before the cost of one is known. */
  private static final int CALIBRATION_STAGES = 20_000;

  /**
   * Stages added at once by --max; small enough to stop near the limit, large enough to be fast.
   */
  private static final int CHUNK = 100_000;

  /** Stages started between two progress checks while setting up. */
  private static final int SETUP_STEP = 10_000;

  /** Heap kept free by --max: at least this, for the runtime's own tables and the JIT. */
  private static final long MIN_HEADROOM = 64L << 20;

  private Pipeline() {}

  /** What one run measured. */
  public static final class Result {
    /** Number of stages. */
    public final int stages;

    /** Time to make the channels and start the stages. */
    public final long setupNanos;

    /** The first value's transit, which includes every stage's first run. */
    public final long firstTransitNanos;

    /** Median transit of the later values. */
    public final long transitNanos;

    /** Live heap per parked stage. */
    public final double bytesPerStage;

    /** Growth of the resident set per parked stage; NaN where the system does not say. */
    public final double residentBytesPerStage;

    /** The heap limit of this JVM. */
    public final long heapMaxBytes;

    /** For --max: the heap the stages were allowed, after the headroom and any budget. */
    public final long allowedBytes;

    /** Whether --max stopped because an allocation failed rather than by its own estimate. */
    public final boolean hitOutOfMemory;

    Result(
        int stages,
        long setupNanos,
        long firstTransitNanos,
        long transitNanos,
        double bytesPerStage,
        double residentBytesPerStage,
        long allowedBytes,
        boolean hitOutOfMemory) {
      this.stages = stages;
      this.setupNanos = setupNanos;
      this.firstTransitNanos = firstTransitNanos;
      this.transitNanos = transitNanos;
      this.bytesPerStage = bytesPerStage;
      this.residentBytesPerStage = residentBytesPerStage;
      this.heapMaxBytes = HeapUsage.maxBytes();
      this.allowedBytes = allowedBytes;
      this.hitOutOfMemory = hitOutOfMemory;
    }

    /** Steady-state nanoseconds per hop. */
    public double nanosPerHop() {
      return (double) transitNanos / stages;
    }
  }

  /** Runs the sample; see the class comment. */
  public static void main(String[] args) throws Exception {
    CommandLine.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    return CommandLine.run(
        OPTIONS,
        args,
        out,
        err,
        (o, stdout, stderr) -> {
          boolean max = o.has("max");
          if (max && o.has("stages")) {
            throw new UsageException("--max finds the number of stages itself: drop --stages");
          }
          if (!max && o.has("budget")) {
            throw new UsageException("--budget only applies to --max");
          }
          int stages = o.integer("stages", 100_000, 1);
          int messages = o.integer("messages", max ? 3 : 10, 1);
          long budget = o.longInteger("budget", 0, 1) << 20;
          int procs = o.integer("procs", 0, 1);
          int previous = procs > 0 ? Weft.setMaxProcs(procs) : 0;
          try {
            Progress progress = new Progress(stderr);
            Result r =
                max ? findMax(budget, messages, progress) : measure(stages, messages, progress);
            print(r, max, messages, stdout);
          } finally {
            if (previous > 0) {
              Weft.setMaxProcs(previous);
            }
          }
        });
  }

  private static void print(Result r, boolean max, int messages, PrintStream out) {
    if (max) {
      out.printf(
          Locale.ROOT,
          "Pipeline --max: %,d stages fit in %,d MB of heap (of %,d MB; GOMAXPROCS=%d)%s%n",
          r.stages,
          r.allowedBytes >> 20,
          r.heapMaxBytes >> 20,
          Weft.maxProcs(),
          r.hitOutOfMemory ? "; stopped by a failed allocation" : "");
    } else {
      out.printf(Locale.ROOT, "Pipeline: %,d stages (GOMAXPROCS=%d)%n", r.stages, Weft.maxProcs());
    }
    out.printf(
        Locale.ROOT,
        "  setup:          %.3f s (%.2f us per stage)%n",
        r.setupNanos / 1e9,
        r.setupNanos / 1e3 / r.stages);
    out.printf(Locale.ROOT, "  first transit:  %.3f ms%n", r.firstTransitNanos / 1e6);
    out.printf(
        Locale.ROOT, "  transit:        %.3f ms (median of %d)%n", r.transitNanos / 1e6, messages);
    out.printf(Locale.ROOT, "  per hop:        %,.0f ns%n", r.nanosPerHop());
    out.printf(
        Locale.ROOT, "  heap per stage: %,.0f bytes (parked, after full GC)%n", r.bytesPerStage);
    if (!Double.isNaN(r.residentBytesPerStage)) {
      out.printf(
          Locale.ROOT,
          "  RSS per stage:  %,.0f bytes (growth of the whole process)%n",
          r.residentBytesPerStage);
    }
  }

  /**
   * Builds a pipeline of {@code stages} stages, measures it, and shuts it down.
   *
   * <pre>{@code
   * Pipeline.Result r = Pipeline.measure(100_000, 10, new Progress(System.err));
   * System.out.println(r.nanosPerHop() + " ns per hop");
   * }</pre>
   */
  public static Result measure(int stages, int messages, Progress progress) {
    return Weft.call(
        () -> {
          Baseline before = new Baseline();
          PipelineChain chain = new PipelineChain();
          long t0 = System.nanoTime();
          while (chain.stages() < stages) {
            chain.extend(Math.min(SETUP_STEP, stages - chain.stages()));
            if (progress.due()) {
              progress.show(String.format(Locale.ROOT, "%,d stages started", chain.stages()));
            }
          }
          long setup = System.nanoTime() - t0;
          return measured(chain, before, setup, messages, 0, false, progress);
        });
  }

  /**
   * Grows a pipeline until the heap (or {@code budgetBytes}, when positive) is nearly full, then
   * measures it.
   *
   * <pre>{@code
   * int most = Pipeline.findMax(0, 3, new Progress(System.err)).stages;
   * }</pre>
   */
  public static Result findMax(long budgetBytes, int messages, Progress progress) {
    return Weft.call(
        () -> {
          Baseline baseline = new Baseline();
          long before = baseline.heap;
          long room = HeapUsage.maxBytes() - before;
          long headroom = Math.max(MIN_HEADROOM, room / 10);
          long limit = room - headroom;
          if (budgetBytes > 0) {
            limit = Math.min(limit, budgetBytes);
          }
          PipelineChain chain = new PipelineChain();
          long t0 = System.nanoTime();
          boolean outOfMemory = false;
          try {
            chain.extend(CALIBRATION_STAGES);
            chain.transit();
            double perStage =
                Math.max(1, (HeapUsage.liveBytes() - before) / (double) chain.stages());
            // Stages that have not run yet do not have their frames yet: count every stage at the
            // parked cost even when the heap says less, and a quarter more for the next chunk.
            while (true) {
              long used =
                  Math.max(HeapUsage.usedBytes() - before, (long) (chain.stages() * perStage));
              if (limit - used < CHUNK * perStage * 1.25) {
                used = Math.max(HeapUsage.liveBytes() - before, (long) (chain.stages() * perStage));
              }
              long fits = (long) ((limit - used) / (perStage * 1.25));
              if (fits < SETUP_STEP || chain.stages() >= Integer.MAX_VALUE - CHUNK) {
                break;
              }
              chain.extend((int) Math.min(CHUNK, fits));
              if (progress.due()) {
                progress.show(
                    String.format(
                        Locale.ROOT,
                        "%,d stages, %,d MB of %,d MB used",
                        chain.stages(),
                        used >> 20,
                        limit >> 20));
              }
            }
          } catch (OutOfMemoryError e) {
            // Only reached if the estimate was wrong; the stages made so far stay usable.
            outOfMemory = true;
          }
          long setup = System.nanoTime() - t0;
          return measured(chain, baseline, setup, messages, limit, outOfMemory, progress);
        });
  }

  /** Live heap and resident memory before the pipeline was made. */
  private static final class Baseline {
    final long heap = HeapUsage.liveBytes();
    final long resident = ResidentMemory.bytes();
  }

  /** Sends the values through, reads the heap while every stage is parked, shuts down. */
  @Suspendable
  private static Result measured(
      PipelineChain chain,
      Baseline before,
      long setupNanos,
      int messages,
      long allowedBytes,
      boolean outOfMemory,
      Progress progress) {
    if (progress.due()) {
      progress.show(
          String.format(Locale.ROOT, "%,d stages started; first value on its way", chain.stages()));
    }
    long first = chain.transit();
    double perStage = (HeapUsage.liveBytes() - before.heap) / (double) chain.stages();
    long rss = ResidentMemory.bytes();
    double rssPerStage =
        rss < 0 || before.resident < 0
            ? Double.NaN
            : (rss - before.resident) / (double) chain.stages();
    long[] transits = new long[messages];
    for (int i = 0; i < messages; i++) {
      transits[i] = chain.transit();
      if (progress.due()) {
        progress.show(String.format(Locale.ROOT, "%d of %d values through", i + 1, messages));
      }
    }
    chain.shutdown();
    progress.done();
    Arrays.sort(transits);
    return new Result(
        chain.stages(),
        setupNanos,
        first,
        transits[messages / 2],
        perStage,
        rssPerStage,
        allowedBytes,
        outOfMemory);
  }
}
