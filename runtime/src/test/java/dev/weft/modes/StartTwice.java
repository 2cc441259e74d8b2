package dev.weft.modes;

import dev.weft.Channel;
import dev.weft.Weft;

/**
 * A program that tries to start the runtime twice, and makes a channel on the plain main thread in
 * between, printing what each attempt threw: run in a JVM of its own with a bad setting, to see
 * that every attempt fails the same way, naming the setting.
 */
public final class StartTwice {
  private StartTwice() {}

  public static void main(String[] args) {
    for (int attempt = 1; attempt <= 2; attempt++) {
      try {
        Weft.run(() -> {});
        System.out.println("attempt " + attempt + ": started");
      } catch (Throwable t) {
        System.out.println("attempt " + attempt + ": " + t);
      }
      try {
        Channel<String> c = Channel.make(1);
        c.send("x");
        System.out.println("plain thread: " + c.receive());
      } catch (Throwable t) {
        System.out.println("plain thread: " + t);
      }
    }
  }
}
