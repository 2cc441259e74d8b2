package dev.weft.bench.jmh;

import dev.weft.Suspendable;
import dev.weft.Weft;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of calling a suspendable method that does not suspend: a loop of calls from a
 * suspendable caller to a small suspendable callee, on a plain thread and inside a fiber, with the
 * callee inlined by the JIT or kept out of line. {@code bench/jmh.sh} runs it twice, with and
 * without the agent, and the difference is what instrumentation adds per call.
 *
 * <pre>{@code
 * java -jar bench/target/weft-bench.jar CallBenchmark                            # plain
 * java -jar bench/target/weft-bench.jar CallBenchmark -jvmArgsAppend -javaagent:...  # agent
 * }</pre>
 *
 * <p>Each invocation makes {@value #CALLS} calls, so the fiber variant's start-up is amortised to
 * well under a nanosecond per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CallBenchmark {
  static final int CALLS = 100_000;

  /** Read from a field so the JIT cannot fold the loop into a constant. */
  public int seed = 17;

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public int inlinedOnThread() {
    return inlinedLoop(seed);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public int outOfLineOnThread() {
    return outOfLineLoop(seed);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public int inlinedInFiber() {
    int s = seed;
    return Weft.call(() -> inlinedLoop(s));
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public int outOfLineInFiber() {
    int s = seed;
    return Weft.call(() -> outOfLineLoop(s));
  }

  @Suspendable
  static int inlinedLoop(int seed) {
    int h = seed;
    for (int i = 0; i < CALLS; i++) {
      h = mix(h, i);
    }
    return h;
  }

  @Suspendable
  static int outOfLineLoop(int seed) {
    int h = seed;
    for (int i = 0; i < CALLS; i++) {
      h = mixOutOfLine(h, i);
    }
    return h;
  }

  @Suspendable
  static int mix(int h, int i) {
    return h * 31 + i;
  }

  @Suspendable
  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  static int mixOutOfLine(int h, int i) {
    return h * 31 + i;
  }
}
