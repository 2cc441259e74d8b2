package dev.weft.bench.report;

import java.util.Arrays;
import java.util.List;

/**
 * The median and range of repeated measurements of one figure.
 *
 * <pre>{@code
 * Stats s = Stats.of(List.of(3.0, 1.0, 2.0));  // median 2, range 1..3
 * }</pre>
 */
final class Stats {
  static final Stats NONE = new Stats(new double[0]);

  final int count;
  final double median;
  final double min;
  final double max;

  private Stats(double[] sorted) {
    this.count = sorted.length;
    if (count == 0) {
      median = min = max = Double.NaN;
    } else {
      min = sorted[0];
      max = sorted[count - 1];
      median = count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
    }
  }

  /** The statistics of the values that are numbers; NaNs are left out. */
  static Stats of(List<Double> values) {
    return new Stats(
        values.stream()
            .filter(v -> !Double.isNaN(v))
            .mapToDouble(Double::doubleValue)
            .sorted()
            .toArray());
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** Whether the range is wide enough to be worth showing: more than 10% either side. */
  boolean isWide() {
    return count > 1 && (max - min) > 0.2 * Math.abs(median);
  }

  @Override
  public String toString() {
    return count == 0 ? "-" : median + " " + Arrays.toString(new double[] {min, max});
  }
}
