package dev.weft.bench.compare;

import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.samples.Options;
import dev.weft.samples.UsageException;

/**
 * Ping-pong as users write it: {@code Integer} payloads (a fresh box for every round beyond the
 * small-value cache) and the echo side in one of three shapes, one-way messages per second.
 *
 * <ul>
 *   <li>{@code lambda}: {@code ping.forEach(v -> pong.send(v))};
 *   <li>{@code ref}: {@code ping.forEach(pong::send)};
 *   <li>{@code loop}: {@code for (Integer v; (v = ping.receive()) != null; ) pong.send(v)}.
 * </ul>
 *
 * <p>{@code --payload same} sends one {@code Integer} object every round instead of a fresh box,
 * which tells what the boxing costs ({@code fresh}, the default, is the program as users write
 * it); the system is then named {@code weft-SHAPE-same}.
 *
 * <pre>{@code
 * java -javaagent:weft-agent.jar -cp weft-bench.jar dev.weft.bench.compare.Compare echo weft \
 *     --procs 1 --shape ref
 * }</pre>
 */
final class EchoBench {
  private EchoBench() {}

  static ResultLine run(BenchSystem system, Options o) throws UsageException, InterruptedException {
    if (!system.isWeft()) {
      throw new UsageException("echo runs on weft only (pingpong compares the others)");
    }
    double seconds = o.decimal("seconds", 2, 0.1);
    double warmup = o.decimal("warmup", 1, 0);
    int rounds = o.integer("rounds", 3, 1);
    String shape = o.text("shape", "loop");
    String payload = o.text("payload", "fresh");
    if (!payload.equals("fresh") && !payload.equals("same")) {
      throw new UsageException("unknown --payload '" + payload + "': use fresh or same");
    }
    boolean same = payload.equals("same");
    Channel<Integer> ping = Channel.make();
    Channel<Integer> pong = Channel.make();
    switch (shape) {
      case "lambda":
        Weft.go(() -> ping.forEach(v -> pong.send(v)));
        break;
      case "ref":
        Weft.go(() -> ping.forEach(pong::send));
        break;
      case "loop":
        Weft.go(() -> echo(ping, pong));
        break;
      default:
        throw new UsageException("unknown --shape '" + shape + "': use lambda, ref or loop");
    }
    PaddedCounter messages = new PaddedCounter();
    ContendedBench.Stop stop = new ContendedBench.Stop();
    if (same) {
      Weft.go(() -> serveSame(ping, pong, messages, stop));
    } else {
      Weft.go(() -> serve(ping, pong, messages, stop));
    }
    double[] rates = Rounds.measure(messages, seconds, warmup, rounds);
    stop.request();
    return Rounds.line("echo", "weft-" + shape + (same ? "-same" : ""), rates);
  }

  @Suspendable
  private static void echo(Channel<Integer> ping, Channel<Integer> pong) {
    for (Integer v; (v = ping.receive()) != null; ) {
      pong.send(v);
    }
  }

  @Suspendable
  private static void serve(
      Channel<Integer> ping, Channel<Integer> pong, PaddedCounter messages, ContendedBench.Stop stop) {
    int n = 0;
    while (!stop.requested()) {
      ping.send(++n);
      if (pong.receive() != n) {
        throw new AssertionError("the echo changed a value");
      }
      messages.set(2L * n);
    }
    ping.close();
  }

  /** {@link #serve} without the boxing: the same {@code Integer} goes out and comes back. */
  @Suspendable
  private static void serveSame(
      Channel<Integer> ping, Channel<Integer> pong, PaddedCounter messages, ContendedBench.Stop stop) {
    Integer ball = 1_000_000; // outside the small-value cache, as the boxes serve() sends
    long n = 0;
    while (!stop.requested()) {
      ping.send(ball);
      if (pong.receive() != ball) {
        throw new AssertionError("the echo changed a value");
      }
      messages.set(2L * ++n);
    }
    ping.close();
  }
}
