package dev.weft.bench.jmh;

import dev.weft.Channel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A buffered channel shared by two plain threads, through its non-blocking operations: the paths
 * that contend on the channel's lock, and those that answer without it.
 *
 * <ul>
 *   <li>{@code handOff}: one thread {@code trySend}s, the other {@code tryReceive}s, both through
 *       the lock (the buffer is neither full nor empty for long): the lock's hand-off between two
 *       cores.
 *   <li>{@code pollFull}: both threads {@code trySend} to a full channel: answered without the
 *       lock, so the two never write a shared line.
 *   <li>{@code pollEmpty}: both threads {@code tryReceive} from an empty channel: the same, the
 *       other way.
 * </ul>
 *
 * <pre>{@code
 * java -jar bench/target/weft-bench.jar dev.weft.bench.jmh.ChannelContentionBenchmark
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChannelContentionBenchmark {
  private static final Integer VALUE = 1;

  /** A channel with room and values: both hand-off sides go through the lock. */
  @State(Scope.Group)
  public static class Shared {
    Channel<Integer> channel;

    @Setup(Level.Iteration)
    public void fill() {
      channel = Channel.make(128);
      for (int i = 0; i < 64; i++) {
        channel.trySend(VALUE);
      }
    }
  }

  /** A full channel. */
  @State(Scope.Benchmark)
  public static class Full {
    Channel<Integer> channel;

    @Setup(Level.Iteration)
    public void fill() {
      channel = Channel.make(128);
      while (channel.trySend(VALUE)) {
        // until full
      }
    }
  }

  /** An empty channel. */
  @State(Scope.Benchmark)
  public static class Empty {
    final Channel<Integer> channel = Channel.make(128);
  }

  @Benchmark
  @Group("handOff")
  @GroupThreads(1)
  public boolean handOffSend(Shared s) {
    return s.channel.trySend(VALUE);
  }

  @Benchmark
  @Group("handOff")
  @GroupThreads(1)
  public Integer handOffReceive(Shared s) {
    return s.channel.tryReceive();
  }

  @Benchmark
  @Group("pollFull")
  @GroupThreads(2)
  public boolean pollFull(Full s) {
    return s.channel.trySend(VALUE);
  }

  @Benchmark
  @Group("pollEmpty")
  @GroupThreads(2)
  public Integer pollEmpty(Empty s) {
    return s.channel.tryReceive();
  }
}
