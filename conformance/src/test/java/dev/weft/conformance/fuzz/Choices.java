package dev.weft.conformance.fuzz;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The decisions a {@link ProgramWriter} makes, drawn from a seeded random source and recorded, or
 * replayed from a recorded (and possibly edited) sequence. Every decision is a number below a
 * bound, and zero is always the simplest answer; a replayed sequence that runs out answers zero.
 * That is what makes shrinking work on the decisions rather than on the source: any edited
 * sequence still writes a valid program, usually a smaller one.
 *
 * <pre>{@code
 * Choices c = Choices.seeded(42);
 * int statements = c.below(4);
 * int[] recorded = c.recorded();          // replayable: Choices.replay(recorded)
 * }</pre>
 */
final class Choices {
  /** A hard cap on decisions, so that no edited sequence can make the writer loop for long. */
  private static final int LIMIT = 50_000;

  private final SplittableRandom random;
  private final int[] replay;
  private int[] recorded = new int[256];
  private int count;

  private Choices(SplittableRandom random, int[] replay) {
    this.random = random;
    this.replay = replay;
  }

  static Choices seeded(long seed) {
    return new Choices(new SplittableRandom(seed), null);
  }

  static Choices replay(int[] values) {
    return new Choices(null, values.clone());
  }

  /** A number in {@code [0, bound)}. */
  int below(int bound) {
    int v;
    if (count >= LIMIT) {
      v = 0;
    } else if (random != null) {
      v = random.nextInt(bound);
    } else {
      v = count < replay.length ? Math.max(0, Math.min(replay[count], bound - 1)) : 0;
    }
    if (count == recorded.length) {
      recorded = Arrays.copyOf(recorded, count * 2);
    }
    recorded[count++] = v;
    return v;
  }

  /** True with about {@code percent} % probability; false on a zero decision. */
  boolean maybe(int percent) {
    return below(100) >= 100 - percent;
  }

  /** The decisions made so far, as {@link #replay(int[])} takes them. */
  int[] recorded() {
    return Arrays.copyOf(recorded, count);
  }
}
