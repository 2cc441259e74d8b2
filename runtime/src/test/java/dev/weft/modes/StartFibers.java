package dev.weft.modes;

import dev.weft.Weft;

/**
 * A program that starts the runtime and runs one empty fiber: run in a JVM of its own by the tests
 * of the checking modes' start-up checks.
 */
public final class StartFibers {
  private StartFibers() {}

  /** Starts the scheduler; prints "started" when it did. */
  public static void main(String[] args) {
    Weft.run(() -> {});
    System.out.println("started");
  }
}
