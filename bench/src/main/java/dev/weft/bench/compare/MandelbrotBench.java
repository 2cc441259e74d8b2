package dev.weft.bench.compare;

import dev.weft.Weft;
import dev.weft.samples.MandelbrotRenderer;
import dev.weft.samples.Options;
import dev.weft.samples.UsageException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Workload W3, exercise 9.6: the parallel Mandelbrot renderer of exercise 8.5, one task per row, at
 * a given parallelism; the median render time. Every system runs the same row code, {@link
 * MandelbrotRenderer#renderRow}: instrumented (with its preemption checks) under Weft, as plain
 * bytecode for threads, which is how the cost of instrumenting compute loops is measured.
 *
 * <pre>{@code
 * java -cp weft-bench.jar dev.weft.bench.compare.Compare mandelbrot threads --procs 2
 * }</pre>
 */
final class MandelbrotBench {
  private MandelbrotBench() {}

  static ResultLine run(BenchSystem system, Options o, int procs)
      throws UsageException, InterruptedException {
    int size = o.integer("size", 2048, 16);
    int iterations = o.integer("iterations", 200, 1);
    int runs = o.integer("runs", 5, 1);
    int warmups = o.integer("warmups", 6, 0);
    MandelbrotRenderer renderer = new MandelbrotRenderer(size, iterations);
    Renderer render = renderer(system, renderer, procs);
    long[] nanos = new long[runs];
    for (int i = -warmups; i < runs; i++) {
      long t0 = System.nanoTime();
      render.render();
      if (i >= 0) {
        nanos[i] = System.nanoTime() - t0;
      }
    }
    Arrays.sort(nanos);
    return new ResultLine("mandelbrot", system.toString())
        .config("size", size)
        .config("iterations", iterations)
        .metric("ms", nanos[runs / 2] / 1e6)
        .metric("best_ms", nanos[0] / 1e6);
  }

  /** One whole render, however the system runs its rows. */
  private interface Renderer {
    void render() throws InterruptedException;
  }

  private static Renderer renderer(BenchSystem system, MandelbrotRenderer r, int procs) {
    if (system.isWeft()) {
      return () -> Weft.call(r::render);
    }
    int size = r.size();
    if (system.threads == ThreadKind.VIRTUAL) {
      return () -> {
        int[] rgb = new int[size * size];
        CountDownLatch rows = new CountDownLatch(size);
        for (int y = 0; y < size; y++) {
          int row = y;
          ThreadKind.VIRTUAL.start(
              () -> {
                r.renderRow(row, rgb);
                rows.countDown();
              });
        }
        rows.await();
      };
    }
    // A fixed pool as big as the parallelism asked for: the usual Java answer, no fibers at all.
    ExecutorService pool =
        Executors.newFixedThreadPool(
            procs,
            task -> {
              Thread t = new Thread(task);
              t.setDaemon(true);
              return t;
            });
    return () -> {
      int[] rgb = new int[size * size];
      CountDownLatch rows = new CountDownLatch(size);
      for (int y = 0; y < size; y++) {
        int row = y;
        pool.execute(
            () -> {
              r.renderRow(row, rgb);
              rows.countDown();
            });
      }
      rows.await();
    };
  }
}
