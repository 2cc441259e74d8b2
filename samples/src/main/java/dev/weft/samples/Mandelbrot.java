package dev.weft.samples;

import dev.weft.Weft;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Exercise 9.6 of <i>The Go Programming Language</i>: how the speed of a compute-bound parallel
 * program (the parallel Mandelbrot renderer of exercise 8.5, one fiber per row) varies with
 * GOMAXPROCS. Prints the median render time and the speed-up over one worker for each GOMAXPROCS
 * from 1 to the number of CPUs, and writes the picture as a PNG.
 *
 * <pre>{@code
 * ./weft run Mandelbrot
 * ./weft run Mandelbrot --size 4096 --iterations 500 --out big.png
 * }</pre>
 *
 * <p>GOMAXPROCS is changed live with {@link Weft#setMaxProcs} between renders; every setting is
 * preceded by an untimed render, so the timed ones see warmed-up code and a settled scheduler.
 */
public final class Mandelbrot {
  static final Options OPTIONS =
      new Options(
              "usage: Mandelbrot [--size PIXELS] [--iterations N] [--runs R] [--max-procs N]"
                  + " [--out FILE.png]")
          .value("size")
          .value("iterations")
          .value("runs")
          .value("max-procs")
          .value("out");

  private Mandelbrot() {}

  /** Runs the sample; see the class comment. */
  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    CommandLine.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    return CommandLine.run(
        OPTIONS,
        args,
        out,
        err,
        (o, stdout, stderr) -> {
          int size = o.integer("size", 2048, 16);
          int iterations = o.integer("iterations", 200, 1);
          int runs = o.integer("runs", 3, 1);
          int maxProcs = o.integer("max-procs", Runtime.getRuntime().availableProcessors(), 1);
          File png = new File(o.text("out", "mandelbrot.png"));
          if (!png.getName().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new UsageException("--out must name a .png file, not '" + png + "'");
          }
          MandelbrotRenderer renderer = new MandelbrotRenderer(size, iterations);
          int previous = Weft.setMaxProcs(0);
          try {
            int[] rgb = table(renderer, iterations, runs, maxProcs, stdout, new Progress(stderr));
            write(rgb, size, png);
            stdout.println("wrote " + png.getPath());
          } finally {
            Weft.setMaxProcs(previous);
          }
        });
  }

  private static int[] table(
      MandelbrotRenderer renderer,
      int iterations,
      int runs,
      int maxProcs,
      PrintStream out,
      Progress progress) {
    int size = renderer.size();
    out.printf(
        Locale.ROOT,
        "Mandelbrot %dx%d, %d iterations, one fiber per row, median of %d render%s%n",
        size,
        size,
        iterations,
        runs,
        runs == 1 ? "" : "s");
    out.printf(Locale.ROOT, "%10s  %10s  %8s%n", "GOMAXPROCS", "time (ms)", "speed-up");
    int[] rgb = Weft.call(renderer::render); // a first, untimed render for the JIT
    double single = 0;
    for (int p = 1; p <= maxProcs; p++) {
      Weft.setMaxProcs(p);
      rgb = Weft.call(renderer::render);
      long[] nanos = new long[runs];
      for (int i = 0; i < runs; i++) {
        long t0 = System.nanoTime();
        rgb = Weft.call(renderer::render);
        nanos[i] = System.nanoTime() - t0;
        if (progress.due()) {
          progress.show(
              String.format(Locale.ROOT, "GOMAXPROCS=%d: %d of %d renders", p, i + 1, runs));
        }
      }
      Arrays.sort(nanos);
      double ms = nanos[runs / 2] / 1e6;
      if (p == 1) {
        single = ms;
      }
      progress.done();
      out.printf(Locale.ROOT, "%10d  %10.1f  %8.2f%n", p, ms, single / ms);
    }
    return rgb;
  }

  private static void write(int[] rgb, int size, File png) throws IOException {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, size, size, rgb, 0, size);
    File dir = png.getAbsoluteFile().getParentFile();
    if (dir != null && !dir.isDirectory() && !dir.mkdirs()) {
      throw new IOException("cannot create the directory " + dir);
    }
    if (!ImageIO.write(image, "png", png)) {
      throw new IOException("no PNG writer in this JDK");
    }
  }
}
