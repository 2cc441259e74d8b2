package dev.weft.bench.report;

import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A line chart of speed-up against GOMAXPROCS, one line per system, with the ideal (linear)
 * speed-up dashed for reference.
 *
 * <pre>{@code
 * new LineChart("Mandelbrot speed-up", 2)
 *     .line("Go", new double[] {1, 1.79})
 *     .save(new File("docs/images/perf-mandelbrot-speedup.png"));
 * }</pre>
 */
final class LineChart {
  private static final int LEFT = 80;
  private static final int TOP = 50;
  private static final int PLOT_WIDTH = 520;
  private static final int PLOT_HEIGHT = 380;

  private final String title;
  private final int maxProcs;
  private final List<String> names = new ArrayList<>();
  private final List<double[]> lines = new ArrayList<>();

  LineChart(String title, int maxProcs) {
    this.title = title;
    this.maxProcs = Math.max(2, maxProcs);
  }

  /** Adds a line; {@code speedUp[p - 1]} is the speed-up at GOMAXPROCS p, NaN where unknown. */
  LineChart line(String name, double[] speedUp) {
    names.add(name);
    lines.add(speedUp);
    return this;
  }

  boolean isEmpty() {
    return lines.isEmpty();
  }

  void save(File png) throws IOException {
    Canvas c = new Canvas(LEFT + PLOT_WIDTH + 380, TOP + PLOT_HEIGHT + 70, title);
    double top = maxProcs;
    for (double[] l : lines) {
      for (double v : l) {
        if (!Double.isNaN(v)) {
          top = Math.max(top, v);
        }
      }
    }
    Scale y = Scale.linear(top);
    c.g.setFont(Canvas.SMALL);
    for (double tick : y.ticks()) {
      int py = yPixel(y, tick);
      c.g.setColor(Canvas.GRID);
      c.g.drawLine(LEFT, py, LEFT + PLOT_WIDTH, py);
      c.g.setColor(Canvas.AXIS);
      c.drawRight(String.format(java.util.Locale.ROOT, "%.1f", tick), LEFT - 6, py + 4);
    }
    for (int p = 1; p <= maxProcs; p++) {
      int px = xPixel(p);
      c.g.setColor(Canvas.GRID);
      c.g.drawLine(px, TOP, px, TOP + PLOT_HEIGHT);
      c.g.setColor(Canvas.AXIS);
      c.drawCentred(Integer.toString(p), px, TOP + PLOT_HEIGHT + 16);
    }
    c.g.setFont(Canvas.LABEL);
    c.drawCentred("GOMAXPROCS (parallelism)", LEFT + PLOT_WIDTH / 2, TOP + PLOT_HEIGHT + 40);
    c.g.rotate(-Math.PI / 2);
    c.drawCentred("speed-up over 1", -(TOP + PLOT_HEIGHT / 2), 24);
    c.g.rotate(Math.PI / 2);

    c.g.setColor(Canvas.AXIS);
    c.stroke(1.5f, true);
    c.g.drawLine(xPixel(1), yPixel(y, 1), xPixel(maxProcs), yPixel(y, maxProcs));
    for (int i = 0; i < lines.size(); i++) {
      double[] l = lines.get(i);
      c.g.setColor(Canvas.series(i));
      c.stroke(2.5f, false);
      int lastX = -1;
      int lastY = -1;
      for (int p = 1; p <= l.length; p++) {
        if (Double.isNaN(l[p - 1])) {
          lastX = -1;
          continue;
        }
        int px = xPixel(p);
        int py = yPixel(y, l[p - 1]);
        if (lastX >= 0) {
          c.g.drawLine(lastX, lastY, px, py);
        }
        c.g.fillOval(px - 4, py - 4, 9, 9);
        lastX = px;
        lastY = py;
      }
    }
    List<String> legend = new ArrayList<>(names);
    c.legend(legend, LEFT + PLOT_WIDTH + 30, TOP + 20);
    c.g.setColor(Canvas.AXIS);
    c.stroke(1.5f, true);
    int ly = TOP + 20 + names.size() * 20;
    c.g.drawLine(LEFT + PLOT_WIDTH + 30, ly - 5, LEFT + PLOT_WIDTH + 42, ly - 5);
    c.g.setColor(Color.BLACK);
    c.g.drawString("ideal (linear)", LEFT + PLOT_WIDTH + 48, ly);
    c.save(png);
  }

  private int xPixel(int p) {
    return LEFT + (int) Math.round((p - 1) / (double) (maxProcs - 1) * PLOT_WIDTH);
  }

  private static int yPixel(Scale y, double v) {
    return TOP + PLOT_HEIGHT - (int) Math.round(y.position(v) * PLOT_HEIGHT);
  }
}
