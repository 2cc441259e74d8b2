package dev.weft.core;

import dev.weft.Channel;
import dev.weft.Weft;

/** Run by {@link UncaughtTest} in its own JVM with {@code -Dweft.uncaught=exit}. */
public final class UncaughtExitProgram {
  private UncaughtExitProgram() {}

  public static void main(String[] args) {
    Weft.run(
        () -> {
          Channel<String> never = Channel.make();
          Weft.go(
              () -> {
                throw new IllegalStateException("a panic in a fiber");
              });
          never.receive(); // the JVM exits while main waits here
          System.out.println("main went on");
        });
  }
}
