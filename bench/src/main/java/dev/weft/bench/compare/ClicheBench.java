package dev.weft.bench.compare;

import dev.weft.samples.DigitSink;
import dev.weft.samples.HackerCliche;
import dev.weft.samples.Options;
import dev.weft.samples.UsageException;
import java.util.concurrent.CountDownLatch;

/**
 * Workload W4, the hacker cliché of section 9.8.4: two never-blocking loops print 0s and 1s into a
 * shared counting sink for a few seconds. What matters is fairness, not speed: at parallelism 1
 * both digits appear only if the scheduler preempts a running task, so the report shows the share
 * of the rarer digit and how often the printer changed.
 *
 * <pre>{@code
 * java -Djdk.virtualThreadScheduler.parallelism=1 -cp weft-bench.jar \
 *     dev.weft.bench.compare.Compare cliche vthreads --procs 1
 * }</pre>
 */
final class ClicheBench {
  private ClicheBench() {}

  static ResultLine run(BenchSystem system, Options o) throws UsageException, InterruptedException {
    double seconds = o.decimal("seconds", 2, 0.1);
    DigitSink sink =
        system.isWeft() ? HackerCliche.race(seconds, null) : threads(system.threads, seconds);
    long zeros = sink.count('0');
    long ones = sink.count('1');
    return new ResultLine("cliche", system.toString())
        .metric("zeros", zeros)
        .metric("ones", ones)
        .metric("switches_per_s", sink.switches() / seconds)
        .metric("minority_share", Math.min(zeros, ones) / (double) Math.max(1, zeros + ones));
  }

  /**
   * Both printers are threads of the kind compared, so that at parallelism 1 they share the one
   * carrier as the fibers do, and run the same loop as the sample's fibers: each ends by itself at
   * the deadline, also when it never got to run before it.
   */
  private static DigitSink threads(ThreadKind kind, double seconds) throws InterruptedException {
    DigitSink sink = new DigitSink(null, 72);
    long deadline = System.nanoTime() + Math.round(seconds * 1e9);
    CountDownLatch done = new CountDownLatch(2);
    for (char digit : new char[] {'0', '1'}) {
      kind.start(
          () -> {
            while (System.nanoTime() < deadline && sink.print(digit)) {
              // print until the deadline
            }
            done.countDown();
          });
    }
    done.await();
    sink.close();
    return sink;
  }
}
