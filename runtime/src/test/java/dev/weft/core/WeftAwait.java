package dev.weft.core;

import java.util.function.BooleanSupplier;

/** Waits, on a plain thread, for a condition another thread will make true; yields, no sleeps. */
final class WeftAwait {
  private WeftAwait() {}

  static void until(BooleanSupplier condition) {
    while (!condition.getAsBoolean()) {
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
