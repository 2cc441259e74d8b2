package dev.weft.modes;

import dev.weft.Weft;

/**
 * Makes the runtime say two things: a fiber blocks while holding a monitor (the pinning warning),
 * and an exception escapes another fiber. Run under the agent by LoggingTest.
 */
public final class LoggedProgram {
  private LoggedProgram() {}

  public static void main(String[] args) {
    Object lock = new Object();
    Weft.run(
        () -> {
          synchronized (lock) {
            Weft.sleep(1);
          }
          Weft.go(
              () -> {
                throw new IllegalStateException("boom");
              });
          Weft.sleep(200);
        });
    System.out.println("done");
  }
}
