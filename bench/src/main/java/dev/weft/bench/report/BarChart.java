package dev.weft.bench.report;

import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * A horizontal grouped bar chart: one band per category (a system, whose long name fits on the
 * left), one bar per series in each band (a parallelism, a size), the value printed at the bar's
 * end. A logarithmic axis keeps figures that differ a thousandfold readable.
 *
 * <pre>{@code
 * new BarChart("Ping-pong", "messages per second", List.of("p=1", "p=2"))
 *     .category("Go", 8.2e6, 6.5e6)
 *     .category("Weft", 17e6, 9e6)
 *     .save(new File("docs/images/perf-pingpong.png"), Format::rate);
 * }</pre>
 */
final class BarChart {
  private static final int LEFT = 330;
  private static final int RIGHT = 90;
  private static final int TOP = 50;
  private static final int BAR = 16;
  private static final int GAP = 14;

  private final String title;
  private final String axis;
  private final List<String> series;
  private final List<String> categories = new ArrayList<>();
  private final List<double[]> values = new ArrayList<>();
  private boolean log;

  BarChart(String title, String axis, List<String> series) {
    this.title = title;
    this.axis = axis;
    this.series = series;
  }

  /** Uses a logarithmic value axis. */
  BarChart log() {
    log = true;
    return this;
  }

  /** Adds a band; {@code v[i]} is series i's value, NaN where there is none. */
  BarChart category(String name, double... v) {
    categories.add(name);
    values.add(v);
    return this;
  }

  boolean isEmpty() {
    return categories.isEmpty();
  }

  void save(File png, DoubleFunction<String> label) throws IOException {
    int band = series.size() * BAR + GAP;
    int legendHeight = series.size() > 1 ? series.size() * 20 + 10 : 0;
    int plotHeight = categories.size() * band;
    int height = TOP + legendHeight + plotHeight + 60;
    int width = 960;
    Canvas c = new Canvas(width, height, title);
    int top = TOP + legendHeight;
    if (series.size() > 1) {
      c.legend(series, LEFT, TOP + 8);
    }
    double max = 0;
    double min = Double.MAX_VALUE;
    for (double[] v : values) {
      for (double x : v) {
        if (!Double.isNaN(x) && x > 0) {
          max = Math.max(max, x);
          min = Math.min(min, x);
        }
      }
    }
    if (max == 0) {
      max = 1;
      min = 1;
    }
    Scale scale = log ? Scale.log(min, max) : Scale.linear(max);
    int plotWidth = width - LEFT - RIGHT;

    c.g.setFont(Canvas.SMALL);
    for (double tick : scale.ticks()) {
      int x = LEFT + (int) Math.round(scale.position(tick) * plotWidth);
      c.g.setColor(Canvas.GRID);
      c.g.drawLine(x, top - 4, x, top + plotHeight);
      c.g.setColor(Canvas.AXIS);
      c.drawCentred(label.apply(tick), x, top + plotHeight + 16);
    }
    c.g.setFont(Canvas.LABEL);
    c.drawCentred(axis + (log ? " (log scale)" : ""), LEFT + plotWidth / 2, top + plotHeight + 40);

    for (int i = 0; i < categories.size(); i++) {
      int y0 = top + i * band;
      c.g.setColor(Color.BLACK);
      c.g.setFont(Canvas.LABEL);
      c.drawRight(categories.get(i), LEFT - 10, y0 + series.size() * BAR / 2 + 5);
      double[] v = values.get(i);
      for (int s = 0; s < series.size() && s < v.length; s++) {
        int y = y0 + s * BAR;
        c.g.setFont(Canvas.SMALL);
        if (Double.isNaN(v[s])) {
          c.g.setColor(Canvas.AXIS);
          c.g.drawString("not run", LEFT + 4, y + BAR - 4);
          continue;
        }
        int w = (int) Math.round(scale.position(v[s]) * plotWidth);
        c.g.setColor(Canvas.series(s));
        c.g.fillRect(LEFT, y + 1, Math.max(1, w), BAR - 2);
        c.g.setColor(Color.BLACK);
        c.g.drawString(label.apply(v[s]), LEFT + Math.max(1, w) + 4, y + BAR - 4);
      }
    }
    c.g.setColor(Canvas.AXIS);
    c.g.drawLine(LEFT, top - 4, LEFT, top + plotHeight);
    c.save(png);
  }
}
