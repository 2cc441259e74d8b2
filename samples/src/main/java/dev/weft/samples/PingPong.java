package dev.weft.samples;

import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.Weft;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exercise 9.5 of <i>The Go Programming Language</i>: two fibers bounce a message back and forth
 * over two unbuffered channels, as fast as they can; the program prints how many one-way messages
 * go through per second.
 *
 * <pre>{@code
 * ./weft run PingPong --seconds 3
 * GOMAXPROCS=1 ./weft run PingPong
 * }</pre>
 *
 * <p>Each round trip is two rendezvous, so each is two suspensions and two resumptions: this is the
 * price of one fiber switch, nearly nothing else. The counter is published with a release store
 * ({@code lazySet}) once per round trip, which costs a plain store on x86, and read by the main
 * fiber only at the start and the end of the measured interval.
 */
public final class PingPong {
  static final Options OPTIONS =
      new Options("usage: PingPong [--seconds S] [--warmup S] [--procs N]")
          .value("seconds")
          .value("warmup")
          .value("procs");

  private static final String RESULT_LINE =
      "PingPong: %,.0f messages per second (one way, GOMAXPROCS=%d: %,d messages in %.2f s)%n";

  /** The one message: the same object every time, so that nothing is allocated per message. */
  private static final Object BALL = "ball";

  private PingPong() {}

  /** The measured rate. */
  public static final class Result {
    /** One-way messages counted in the measured interval. */
    public final long messages;

    /** Length of the measured interval, in nanoseconds. */
    public final long nanos;

    /** GOMAXPROCS during the measurement. */
    public final int procs;

    Result(long messages, long nanos, int procs) {
      this.messages = messages;
      this.nanos = nanos;
      this.procs = procs;
    }

    /** One-way messages per second. */
    public double perSecond() {
      return messages * 1e9 / nanos;
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
          double seconds = o.decimal("seconds", 3, 0.01);
          double warmup = o.decimal("warmup", 1, 0);
          int procs = o.integer("procs", 0, 1);
          int previous = procs > 0 ? Weft.setMaxProcs(procs) : 0;
          try {
            Result r = measure(seconds, warmup, new Progress(stderr));
            stdout.printf(
                Locale.ROOT, RESULT_LINE, r.perSecond(), r.procs, r.messages, r.nanos / 1e9);
          } finally {
            if (previous > 0) {
              Weft.setMaxProcs(previous);
            }
          }
        });
  }

  /**
   * Bounces a message between two fibers for {@code warmup} seconds, then counts for {@code
   * seconds} seconds.
   *
   * <pre>{@code
   * double rate = PingPong.measure(3, 1, new Progress(System.err)).perSecond();
   * }</pre>
   */
  public static Result measure(double seconds, double warmup, Progress progress) {
    return Weft.call(
        () -> {
          Channel<Object> ping = Channel.make();
          Channel<Object> pong = Channel.make();
          AtomicLong rounds = new AtomicLong();
          Stop stop = new Stop();
          Weft.go(() -> echo(ping, pong));
          Weft.go(() -> serve(ping, pong, rounds, stop));

          Weft.sleep(Math.round(warmup * 1000));
          long r0 = rounds.get();
          long t0 = System.nanoTime();
          long end = t0 + Math.round(seconds * 1e9);
          for (long now = t0; now < end; now = System.nanoTime()) {
            Weft.sleep(Math.max(1, Math.min(1000, (end - now) / 1_000_000)));
            if (progress.due()) {
              progress.show(
                  String.format(
                      Locale.ROOT,
                      "%.0f s: %,.0f messages per second so far",
                      progress.elapsedSeconds(),
                      2 * (rounds.get() - r0) * 1e9 / (System.nanoTime() - t0)));
            }
          }
          long r1 = rounds.get();
          long t1 = System.nanoTime();
          stop.requested = true;
          progress.done();
          return new Result(2 * (r1 - r0), t1 - t0, Weft.maxProcs());
        });
  }

  /** The server's side: sends the ball, waits for it to come back, counts the round trip. */
  @Suspendable
  private static void serve(
      Channel<Object> ping, Channel<Object> pong, AtomicLong rounds, Stop stop) {
    long n = 0;
    while (!stop.requested) {
      ping.send(BALL);
      pong.receive();
      rounds.lazySet(++n);
    }
    ping.close();
  }

  /** The other side: returns every ball until the server closes its channel. */
  @Suspendable
  private static void echo(Channel<Object> ping, Channel<Object> pong) {
    for (Object ball; (ball = ping.receive()) != null; ) {
      pong.send(ball);
    }
  }

  /** Written once by the main fiber, read every round trip by the server. */
  private static final class Stop {
    volatile boolean requested;
  }
}
