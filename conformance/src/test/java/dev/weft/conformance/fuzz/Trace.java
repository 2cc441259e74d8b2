package dev.weft.conformance.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What one run of a generated program did, as its suspend points saw it: the side effects in
 * order, and, in a fiber, where it tried to suspend below a frame that is not annotated.
 */
final class Trace {
  /** How a run's suspend points behave. */
  enum Mode {
    /** On the test thread: suspend points only record. */
    PLAIN,
    /** In a fiber: every suspend point suspends. */
    EVERY,
    /** In a fiber: suspend points suspend at random, seeded by the program. */
    RANDOM
  }

  /** Suspend points a run may pass before it is cut short ({@link FuelExhausted}). */
  static final int FUEL = 3_000;

  final Mode mode;
  private final SplittableRandom random;
  final List<String> events = new ArrayList<>();
  /** The innermost plain frame of the last suspension the error must refuse, or null. */
  String refusedAt;
  /** How many events preceded the first such suspension (the comparable prefix), or -1. */
  int firstRefusal = -1;
  /** Suspensions through a plain frame that went through without the error. */
  final List<String> silentSuspensions = new ArrayList<>();
  private int suspensions;

  Trace(Mode mode, long seed) {
    this.mode = mode;
    this.random = new SplittableRandom(seed);
  }

  /** Records one side effect; throws once the run has used its fuel. */
  void record(int site, String value) {
    if (events.size() >= FUEL) {
      throw new FuelExhausted(FUEL);
    }
    events.add(site + "=" + value);
  }

  /** Whether the suspend point that just recorded should suspend now. */
  boolean suspendsNow() {
    switch (mode) {
      case EVERY:
        return true;
      case RANDOM:
        return random.nextInt(3) != 0;
      default:
        return false;
    }
  }

  /** Whether this suspension is a channel hand-off rather than a yield. */
  boolean handsOff() {
    return ++suspensions % 16 == 0;
  }

  /** The next suspension happens below {@code plainFrame}: the error must refuse it. */
  void expectRefusal(String plainFrame) {
    if (firstRefusal < 0) {
      firstRefusal = events.size();
    }
    refusedAt = plainFrame;
  }
}
