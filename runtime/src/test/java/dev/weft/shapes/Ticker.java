package dev.weft.shapes;

import dev.weft.Suspendable;
import dev.weft.Weft;

/**
 * The fiber that keeps the worker busy while a shape test's fiber is suspended, and observes its
 * saved stack through {@link Witness}. One ticker runs beside each test body; it yields on every
 * tick so that, at maxprocs 1, it and the fiber under test take turns.
 *
 * <p>Tickers stop by generation rather than by a flag the test body must set, so a body that
 * fails half-way never leaves one spinning: {@link #stopAll()} runs on the test thread after
 * {@code Weft.run} returns, however it returned.
 *
 * <pre>{@code
 * Weft.run(() -> { Ticker.start(); body.run(); });
 * Ticker.stopAll();
 * }</pre>
 */
final class Ticker {
  private static volatile int generation;
  /** Ticks of every ticker, and where the last one ran: for failure messages only. */
  private static volatile long ticks;

  private static volatile String lastThread = "none";

  private final int myGeneration;

  private Ticker(int myGeneration) {
    this.myGeneration = myGeneration;
  }

  /** Starts a ticker fiber for the current generation. */
  static void start() {
    Ticker t = new Ticker(generation);
    Weft.go(t::tick);
  }

  /** Ends every running ticker at its next tick. */
  static void stopAll() {
    generation++;
  }

  /** The total number of ticks so far. */
  static long ticks() {
    return ticks;
  }

  /** The worker thread the last tick ran on. */
  static String lastThread() {
    return lastThread;
  }

  @Suspendable
  private void tick() {
    while (generation == myGeneration) {
      ticks++; // a single writer at maxprocs 1; a lost update only blurs a diagnostic
      lastThread = Thread.currentThread().getName();
      Witness.observePending();
      Weft.gosched();
    }
  }
}
