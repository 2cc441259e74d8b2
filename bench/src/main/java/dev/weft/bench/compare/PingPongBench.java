package dev.weft.bench.compare;

import dev.weft.samples.Options;
import dev.weft.samples.PingPong;
import dev.weft.samples.Progress;
import dev.weft.samples.UsageException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Workload W1, exercise 9.5: two threads or fibers bounce a message over two unbuffered channels;
 * one-way messages per second. Weft runs the sample's own code; threads run the same loop over a
 * {@link ThreadChannel}.
 *
 * <pre>{@code
 * java -cp weft-bench.jar dev.weft.bench.compare.Compare pingpong vthreads-sq --procs 1
 * }</pre>
 */
final class PingPongBench {
  private static final Object BALL = "ball";

  private PingPongBench() {}

  static ResultLine run(BenchSystem system, Options o) throws UsageException, InterruptedException {
    double seconds = o.decimal("seconds", 3, 0.1);
    double warmup = o.decimal("warmup", 1, 0);
    long messages;
    long nanos;
    if (system.isWeft()) {
      PingPong.Result r = PingPong.measure(seconds, warmup, new Progress(System.err));
      messages = r.messages;
      nanos = r.nanos;
    } else {
      long[] m = threads(system.threads, system.channel(), seconds, warmup);
      messages = m[0];
      nanos = m[1];
    }
    return new ResultLine("pingpong", system.toString())
        .metric("msgs_per_s", messages * 1e9 / nanos)
        .metric("messages", messages);
  }

  /** Returns the one-way messages counted and the nanoseconds they took. */
  private static long[] threads(ThreadKind kind, ChannelKind channel, double seconds, double warmup)
      throws InterruptedException {
    ThreadChannel<Object> ping = channel.make();
    ThreadChannel<Object> pong = channel.make();
    AtomicLong rounds = new AtomicLong();
    Flag stop = new Flag();
    kind.start(
        () -> {
          try {
            for (Object ball; (ball = ping.receive()) != null; ) {
              pong.send(ball);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    kind.start(
        () -> {
          try {
            long n = 0;
            while (!stop.set) {
              ping.send(BALL);
              pong.receive();
              rounds.lazySet(++n);
            }
            ping.close();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    Thread.sleep(Math.round(warmup * 1000));
    long r0 = rounds.get();
    long t0 = System.nanoTime();
    Thread.sleep(Math.round(seconds * 1000));
    long r1 = rounds.get();
    long t1 = System.nanoTime();
    stop.set = true;
    return new long[] {2 * (r1 - r0), t1 - t0};
  }

  /** Written once by the main thread, read every round trip. */
  private static final class Flag {
    volatile boolean set;
  }
}
