package dev.weft.bench.jmh;

import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.WaitGroup;
import dev.weft.Weft;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of suspending and resuming a fiber whose stack is {@code depth} suspendable frames deep:
 * two fibers on one worker recurse to that depth, then take turns, either through {@link
 * Weft#gosched()} or through a pair of unbuffered channels. Every turn suspends one fiber and
 * resumes the other, so the score is the time of one switch; it should grow linearly with depth.
 * Runs only under the agent (see {@code bench/jmh.sh}).
 *
 * <pre>{@code
 * java -jar bench/target/weft-bench.jar SwitchBenchmark \
 *     -jvmArgsAppend -javaagent:agent/target/weft-agent.jar
 * }</pre>
 *
 * <p>One invocation starts the two fibers and makes {@code 2 * TURNS} switches: {@value #TURNS}
 * yields by each fiber, or {@value #TURNS} round trips of two switches each; starting the fibers is
 * amortised over them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SwitchBenchmark {
  static final int TURNS = 10_000;
  private static final Object BALL = "ball";

  /** Suspendable frames on each fiber's stack below its entry. */
  @Param({"1", "10", "100"})
  public int depth;

  /** How the fibers hand over: {@code gosched} or {@code channel}. */
  @Param({"gosched", "channel"})
  public String via;

  private int previousProcs;

  @Setup
  public void oneWorker() {
    previousProcs = Weft.setMaxProcs(1);
  }

  @TearDown
  public void restoreWorkers() {
    Weft.setMaxProcs(previousProcs);
  }

  @Benchmark
  @OperationsPerInvocation(2 * TURNS)
  public void switchAtDepth() {
    boolean yield = via.equals("gosched");
    int d = depth;
    Weft.run(
        () -> {
          Channel<Object> there = Channel.make();
          Channel<Object> back = Channel.make();
          WaitGroup done = new WaitGroup();
          done.add(2);
          Weft.go(
              () -> {
                descend(d, yield, true, there, back);
                done.done();
              });
          Weft.go(
              () -> {
                descend(d, yield, false, there, back);
                done.done();
              });
          done.await();
        });
  }

  /** Recurses {@code depth - 1} more frames, then takes {@link #TURNS} turns at the bottom. */
  @Suspendable
  static void descend(
      int depth, boolean yield, boolean first, Channel<Object> there, Channel<Object> back) {
    if (depth > 1) {
      descend(depth - 1, yield, first, there, back);
      return;
    }
    if (yield) {
      for (int i = 0; i < TURNS; i++) {
        Weft.gosched();
      }
    } else if (first) {
      for (int i = 0; i < TURNS; i++) {
        there.send(BALL);
        back.receive();
      }
    } else {
      for (int i = 0; i < TURNS; i++) {
        there.receive();
        back.send(BALL);
      }
    }
  }
}
