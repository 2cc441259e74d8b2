package dev.weft.bench.compare;

import java.util.Arrays;

/**
 * Times a counter that other threads or fibers advance: a warm-up, then several rounds, each one
 * rate; the median is the figure, the spread goes to the log.
 *
 * <pre>{@code
 * double[] rates = Rounds.measure(received, 2, 1, 3);
 * ResultLine line = Rounds.line("fanin", "weft", rates);
 * }</pre>
 */
final class Rounds {
  private Rounds() {}

  /** The rate of {@code counter} in each of {@code rounds} rounds of {@code seconds}, sorted. */
  static double[] measure(PaddedCounter counter, double seconds, double warmup, int rounds)
      throws InterruptedException {
    Thread.sleep(Math.round(warmup * 1000));
    double[] rates = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      long c0 = counter.get();
      long t0 = System.nanoTime();
      Thread.sleep(Math.round(seconds * 1000));
      long c1 = counter.get();
      long t1 = System.nanoTime();
      rates[i] = (c1 - c0) * 1e9 / (t1 - t0);
    }
    System.err.println("rates per round: " + Arrays.toString(rates));
    Arrays.sort(rates);
    return rates;
  }

  /** The result line of a sorted set of rates: the median, and the lowest and highest. */
  static ResultLine line(String workload, String system, double[] sorted) {
    return new ResultLine(workload, system)
        .metric("msgs_per_s", sorted[sorted.length / 2])
        .metric("min_msgs_per_s", sorted[0])
        .metric("max_msgs_per_s", sorted[sorted.length - 1]);
  }
}
