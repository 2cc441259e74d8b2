package dev.weft.samples;

import dev.weft.Suspendable;
import dev.weft.WaitGroup;
import dev.weft.Weft;
import java.awt.Color;

/**
 * Renders the Mandelbrot set over the square from -2-2i to 2+2i, as exercise 8.5 of <i>The Go
 * Programming Language</i> does in parallel: one fiber per row of pixels, joined by a {@link
 * WaitGroup}.
 *
 * <pre>{@code
 * MandelbrotRenderer r = new MandelbrotRenderer(1024, 200);
 * int[] rgb = Weft.call(() -> r.render());
 * }</pre>
 *
 * <p>{@link #renderRow} is suspendable although it never blocks: its loops are where the agent puts
 * its preemption checks, so this is the compute-bound code whose instrumented speed is compared
 * with the same code run uninstrumented. It allocates nothing; the colours come from a palette made
 * once.
 */
public final class MandelbrotRenderer {
  private static final double MIN = -2;
  private static final double SPAN = 4;

  private final int size;
  private final int iterations;
  private final int[] palette;

  /**
   * A renderer of {@code size} by {@code size} pixels giving up on a point after {@code iterations}
   * steps.
   *
   * @throws IllegalArgumentException when either is below 1
   */
  public MandelbrotRenderer(int size, int iterations) {
    if (size < 1 || iterations < 1) {
      throw new IllegalArgumentException(
          "size and iterations must be at least 1, not " + size + " and " + iterations);
    }
    this.size = size;
    this.iterations = iterations;
    this.palette = palette(iterations);
  }

  /** Width and height in pixels. */
  public int size() {
    return size;
  }

  /** Renders every row in its own fiber and returns the pixels, row by row, as 0xRRGGBB. */
  @Suspendable
  public int[] render() {
    int[] rgb = new int[size * size];
    WaitGroup rows = new WaitGroup();
    rows.add(size);
    for (int y = 0; y < size; y++) {
      int row = y;
      Weft.go(
          () -> {
            renderRow(row, rgb);
            rows.done();
          });
    }
    rows.await();
    return rgb;
  }

  /** Renders row {@code y} into {@code rgb}; the code every system in the benchmarks runs. */
  @Suspendable
  public void renderRow(int y, int[] rgb) {
    double im = MIN + SPAN * (y + 0.5) / size;
    int base = y * size;
    for (int x = 0; x < size; x++) {
      double re = MIN + SPAN * (x + 0.5) / size;
      double zr = 0;
      double zi = 0;
      int n = 0;
      while (n < iterations && zr * zr + zi * zi <= 4) {
        double t = zr * zr - zi * zi + re;
        zi = 2 * zr * zi + im;
        zr = t;
        n++;
      }
      rgb[base + x] = palette[n];
    }
  }

  /** Black inside the set; outside, bands of colour by how fast the point escaped. */
  private static int[] palette(int iterations) {
    int[] p = new int[iterations + 1];
    for (int n = 0; n < iterations; n++) {
      float t = (float) Math.sqrt(n / (double) iterations);
      p[n] = Color.HSBtoRGB(0.62f + 1.3f * t, 0.75f, Math.min(1f, 0.25f + 3 * t)) & 0xFFFFFF;
    }
    p[iterations] = 0;
    return p;
  }
}
