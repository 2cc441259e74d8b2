package dev.weft.samples;

import dev.weft.Suspendable;
import dev.weft.Weft;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The "hacker cliché" of section 9.8.4 of <i>The Go Programming Language</i>: one fiber prints 0s
 * forever while the main fiber prints 1s forever. With one worker (GOMAXPROCS=1) the digits come in
 * long runs, as the scheduler's time slices hand the worker from one fiber to the other; with two
 * they interleave finely. Neither fiber ever blocks: both digits appear only because the agent's
 * preemption checks in their loops let the scheduler take the worker back.
 *
 * <pre>{@code
 * GOMAXPROCS=1 ./weft run HackerCliche --seconds 1
 * GOMAXPROCS=2 ./weft run HackerCliche --seconds 1
 * ./weft run HackerCliche --quiet --procs 1        # only the counts
 * }</pre>
 *
 * <p>It ends after {@code --seconds} (0 runs forever, as in the book) with a line that counts each
 * digit and the switches between them.
 */
public final class HackerCliche {
  static final Options OPTIONS =
      new Options("usage: HackerCliche [--seconds S (0: forever)] [--procs N] [--quiet]")
          .value("seconds")
          .value("procs")
          .flag("quiet");

  private static final int LINE_WIDTH = 72;

  private HackerCliche() {}

  /**
   * Lets a fiber print 0s while the main fiber prints 1s for {@code seconds} (forever when 0),
   * echoing the digits to {@code echo} unless it is null; returns the closed sink with the counts.
   *
   * <pre>{@code
   * DigitSink sink = HackerCliche.race(0.5, null);
   * System.out.println(sink.switches() + " switches");
   * }</pre>
   */
  public static DigitSink race(double seconds, PrintStream echo) {
    DigitSink sink = new DigitSink(echo, LINE_WIDTH);
    try {
      Weft.run(
          () -> {
            // The race starts when the first fiber runs, not before the scheduler is up: on a
            // loaded machine start-up alone can take longer than a short race.
            long deadline =
                seconds == 0 ? Long.MAX_VALUE : System.nanoTime() + Math.round(seconds * 1e9);
            Weft.go(() -> printUntil(deadline, '0', sink));
            printUntil(deadline, '1', sink);
          });
    } finally {
      sink.close();
    }
    return sink;
  }

  /**
   * One printer. Both loops are the same and each ends by itself at the deadline, so the counts
   * compare the fibers' shares of the worker, and the program ends even if one never ran.
   */
  @Suspendable
  private static void printUntil(long deadline, char digit, DigitSink sink) {
    while (System.nanoTime() < deadline && sink.print(digit)) {
      // the preemption check the agent puts on this back-edge is what lets the other fiber in
    }
  }

  /**
   * With --quiet nothing shows until the end, so a plain thread reports the time left meanwhile; it
   * reads nothing the fibers write, so it cannot disturb the race it reports on.
   */
  private static Thread startTicker(double seconds, Progress progress) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (true) {
                  Thread.sleep(200);
                  if (progress.due()) {
                    progress.show(
                        seconds == 0
                            ? String.format(Locale.ROOT, "%.0f s", progress.elapsedSeconds())
                            : String.format(
                                Locale.ROOT,
                                "%.0f s of %.0f s",
                                progress.elapsedSeconds(),
                                seconds));
                  }
                }
              } catch (InterruptedException e) {
                progress.done();
              }
            },
            "HackerCliche progress");
    t.setDaemon(true);
    t.start();
    return t;
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
          double seconds = o.decimal("seconds", 1, 0);
          int procs = o.integer("procs", 0, 1);
          boolean quiet = o.has("quiet");
          int previous = procs > 0 ? Weft.setMaxProcs(procs) : 0;
          Thread ticker = quiet ? startTicker(seconds, new Progress(stderr)) : null;
          try {
            DigitSink sink;
            try {
              sink = race(seconds, quiet ? null : stdout);
            } finally {
              if (ticker != null) {
                ticker.interrupt();
                ticker.join();
              }
            }
            stdout.printf(
                Locale.ROOT,
                "GOMAXPROCS=%d: printed 0 %,d times and 1 %,d times, switching %,d times%n",
                Weft.maxProcs(),
                sink.count('0'),
                sink.count('1'),
                sink.switches());
          } finally {
            if (previous > 0) {
              Weft.setMaxProcs(previous);
            }
          }
        });
  }
}
