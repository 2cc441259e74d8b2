package dev.weft.frame;

import java.util.Locale;

/**
 * The stress mode, {@code -Dweft.stress.yield=P} with optional {@code -Dweft.stress.seed=N}: at
 * each call of a suspendable method made on a fully instrumented fiber path, the fiber first
 * yields with probability P, so that a test suite exercises the save and restore code of every
 * call site with real values. See {@link FrameStack#stressPoint()}.
 *
 * <p>Whether the n-th stress point of a fiber yields is a pure function of the seed and n: the
 * same seed gives every fiber the same sequence of decisions, whatever the scheduling. The counter
 * is a {@code char} in the fiber's stack (it fits in padding, so a fiber is no bigger), which makes
 * the sequence repeat every 65,536 stress points of one fiber.
 */
final class StressYield {
  static final String PROBABILITY_PROPERTY = "weft.stress.yield";
  static final String SEED_PROPERTY = "weft.stress.seed";

  /** A stress point yields when the top 53 bits of its draw are below this (P times 2^53). */
  static final long THRESHOLD;

  static final long SEED;

  /** Whether the mode is on; a constant, so the JIT removes every stress point when it is off. */
  static final boolean ENABLED;

  /** Why the properties were rejected, or null; the scheduler refuses to start with it. */
  static final String INVALID;

  static {
    long threshold = 0;
    long seed = 0;
    String invalid = null;
    try {
      threshold = threshold(System.getProperty(PROBABILITY_PROPERTY));
      seed = seed(System.getProperty(SEED_PROPERTY));
    } catch (IllegalArgumentException e) {
      threshold = 0;
      invalid = e.getMessage();
    }
    THRESHOLD = threshold;
    SEED = seed;
    ENABLED = threshold > 0;
    INVALID = invalid;
  }

  private StressYield() {}

  /**
   * The threshold for a probability given as text; 0 (off) when absent.
   *
   * @throws IllegalArgumentException naming the property and the allowed values
   */
  static long threshold(String text) {
    if (text == null || text.isBlank()) {
      return 0;
    }
    double p;
    try {
      p = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      p = Double.NaN;
    }
    if (!(p > 0 && p <= 1)) {
      throw new IllegalArgumentException(
          "-D" + PROBABILITY_PROPERTY + "=" + text
              + " is not a probability: use a number above 0 and at most 1 (e.g. 0.05, or 1 to"
              + " yield at every call)");
    }
    return Math.max(1, (long) Math.ceil(p * (1L << 53)));
  }

  /**
   * The seed given as text; a fresh one when absent (the scheduler prints it, to repeat a run).
   *
   * @throws IllegalArgumentException naming the property and the allowed values
   */
  static long seed(String text) {
    if (text == null || text.isBlank()) {
      return mix(System.nanoTime()) >>> 1;
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + SEED_PROPERTY + "=" + text + " is not a seed: use an integer (a long, e.g. 1)");
    }
  }

  /** Whether the {@code n}-th stress point of a fiber yields. Allocates nothing. */
  static boolean yieldsAt(long seed, int n, long threshold) {
    return (mix(seed + n * 0x9E3779B97F4A7C15L) >>> 11) < threshold;
  }

  /** A 64-bit finaliser: every input bit flips about half of the output bits. */
  private static long mix(long x) {
    x = (x ^ (x >>> 33)) * 0xFF51AFD7ED558CCDL;
    x = (x ^ (x >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return x ^ (x >>> 33);
  }

  /** The mode as the start-up line says it. */
  static String describe() {
    return String.format(
        Locale.ROOT,
        "weft: stress mode: a fiber yields at a suspendable call with probability %s"
            + " (-D%s=%d repeats this run)",
        System.getProperty(PROBABILITY_PROPERTY).trim(),
        SEED_PROPERTY,
        SEED);
  }
}
