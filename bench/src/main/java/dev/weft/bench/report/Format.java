package dev.weft.bench.report;

import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * How the report writes numbers: rates in M or k, counts with thousands separators, three
 * significant figures where more would be noise.
 *
 * <pre>{@code
 * Format.rate(8_170_000)   // "8.17 M"
 * Format.count(384.6)      // "385"
 * }</pre>
 */
final class Format {
  private Format() {}

  static String rate(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (v >= 1e6) {
      return String.format(Locale.ROOT, "%.3g M", v / 1e6);
    }
    if (v >= 1e3) {
      return String.format(Locale.ROOT, "%.3g k", v / 1e3);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  static String count(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
  }

  /** Three significant figures, without an exponent for everyday magnitudes. */
  static String sig(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (Math.abs(v) >= 1000) {
      return count(v);
    }
    return String.format(
        Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
  }

  static String percent(double fraction) {
    return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
  }

  static String ratio(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%.2f×", v);
  }

  /** The median, and the range in brackets when it is wide. */
  static String median(Stats s, DoubleFunction<String> f) {
    return median(s, f, "");
  }

  /**
   * The median, the range in brackets when it is wide, then the unit once: "852 [729–1,054] ns".
   */
  static String median(Stats s, DoubleFunction<String> f, String unit) {
    if (s.isEmpty()) {
      return "-";
    }
    String m = f.apply(s.median);
    String range = s.isWide() ? " [" + f.apply(s.min) + "–" + f.apply(s.max) + "]" : "";
    return m + range + (unit.isEmpty() ? "" : " " + unit);
  }
}
