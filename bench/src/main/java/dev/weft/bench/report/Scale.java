package dev.weft.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps values to a 0..1 position along a chart axis, linear from zero or logarithmic, with round
 * tick values.
 *
 * <pre>{@code
 * Scale s = Scale.linear(8.2e6);
 * double p = s.position(4e6);   // about 0.4
 * }</pre>
 */
abstract class Scale {
  abstract double position(double value);

  abstract List<Double> ticks();

  /** From 0 to a round number at or above {@code max}. */
  static Scale linear(double max) {
    double step = niceStep(max / 5);
    double top = Math.ceil(max / step) * step;
    return new Scale() {
      @Override
      double position(double value) {
        return Math.max(0, value) / top;
      }

      @Override
      List<Double> ticks() {
        List<Double> t = new ArrayList<>();
        for (double v = 0; v <= top * 1.0001; v += step) {
          t.add(v);
        }
        return t;
      }
    };
  }

  /** Whole decades around {@code min} and {@code max}, both positive. */
  static Scale log(double min, double max) {
    double lo = Math.floor(Math.log10(min));
    double hi = Math.ceil(Math.log10(max));
    if (hi == lo) {
      hi = lo + 1;
    }
    double low = lo;
    double span = hi - lo;
    return new Scale() {
      @Override
      double position(double value) {
        return value <= 0 ? 0 : (Math.log10(value) - low) / span;
      }

      @Override
      List<Double> ticks() {
        List<Double> t = new ArrayList<>();
        for (double e = low; e <= low + span; e++) {
          t.add(Math.pow(10, e));
        }
        return t;
      }
    };
  }

  /** 1, 2 or 5 times a power of ten, at or above {@code raw}. */
  static double niceStep(double raw) {
    if (raw <= 0) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= raw) {
        return m * p;
      }
    }
    return 10 * p;
  }
}
