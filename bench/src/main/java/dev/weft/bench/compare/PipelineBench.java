package dev.weft.bench.compare;

import dev.weft.samples.HeapUsage;
import dev.weft.samples.Options;
import dev.weft.samples.Pipeline;
import dev.weft.samples.Progress;
import dev.weft.samples.ResidentMemory;
import dev.weft.samples.UsageException;
import java.util.Arrays;

/**
 * Workload W2, exercise 9.4: N stages joined by unbuffered channels. Weft runs the sample's own
 * code; threads build the same chain of relays over {@link ThreadChannel}s and are measured the
 * same way: setup, first and median transit, live heap after full GC with every stage parked, and
 * resident-set growth. Values go through after the heap is read, so nothing can have been collected
 * while it was measured.
 *
 * <pre>{@code
 * java -Xmx8g -cp weft-bench.jar dev.weft.bench.compare.Compare \
 *     pipeline vthreads-lock --procs 1 --stages 100000
 * }</pre>
 */
final class PipelineBench {
  private static final Object TOKEN = "token";

  private PipelineBench() {}

  static ResultLine run(BenchSystem system, Options o) throws UsageException, InterruptedException {
    int stages = o.integer("stages", 100_000, 1);
    int messages = o.integer("messages", 5, 1);
    Figures f =
        system.isWeft()
            ? Figures.of(Pipeline.measure(stages, messages, new Progress(System.err)))
            : threads(system.threads, system.channel(), stages, messages);
    return new ResultLine("pipeline", system.toString())
        .config("stages", stages)
        .metric("setup_s", f.setupNanos / 1e9)
        .metric("first_transit_ms", f.firstTransitNanos / 1e6)
        .metric("transit_ms", f.transitNanos / 1e6)
        .metric("ns_per_hop", (double) f.transitNanos / stages)
        .metric("heap_bytes_per_stage", f.heapPerStage)
        .metric("rss_bytes_per_stage", f.rssPerStage);
  }

  private static Figures threads(ThreadKind kind, ChannelKind channel, int stages, int messages)
      throws InterruptedException {
    long heap0 = HeapUsage.liveBytes();
    long rss0 = ResidentMemory.bytes();
    ThreadChannel<Object> head = channel.make();
    ThreadChannel<Object> tail = head;
    long t0 = System.nanoTime();
    for (int i = 0; i < stages; i++) {
      ThreadChannel<Object> from = tail;
      ThreadChannel<Object> to = channel.make();
      kind.start(() -> relay(from, to));
      tail = to;
    }
    long setup = System.nanoTime() - t0;
    long first = transit(head, tail);
    double heap = (HeapUsage.liveBytes() - heap0) / (double) stages;
    double rss = (ResidentMemory.bytes() - rss0) / (double) stages;
    long[] transits = new long[messages];
    for (int i = 0; i < messages; i++) {
      transits[i] = transit(head, tail);
    }
    head.close();
    if (tail.receive() != null) {
      throw new IllegalStateException("a value was left in the pipeline");
    }
    Arrays.sort(transits);
    return new Figures(setup, first, transits[messages / 2], heap, rss);
  }

  private static long transit(ThreadChannel<Object> head, ThreadChannel<Object> tail)
      throws InterruptedException {
    long t0 = System.nanoTime();
    head.send(TOKEN);
    if (tail.receive() != TOKEN) {
      throw new IllegalStateException("the pipeline lost its token");
    }
    return System.nanoTime() - t0;
  }

  private static void relay(ThreadChannel<Object> in, ThreadChannel<Object> out) {
    try {
      for (Object v; (v = in.receive()) != null; ) {
        out.send(v);
      }
      out.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What is reported, whichever system measured it. */
  private static final class Figures {
    final long setupNanos;
    final long firstTransitNanos;
    final long transitNanos;
    final double heapPerStage;
    final double rssPerStage;

    Figures(long setup, long first, long transit, double heap, double rss) {
      this.setupNanos = setup;
      this.firstTransitNanos = first;
      this.transitNanos = transit;
      this.heapPerStage = heap;
      this.rssPerStage = rss;
    }

    static Figures of(Pipeline.Result r) {
      return new Figures(
          r.setupNanos,
          r.firstTransitNanos,
          r.transitNanos,
          r.bytesPerStage,
          r.residentBytesPerStage);
    }
  }
}
