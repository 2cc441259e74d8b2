package dev.weft.modes;

import dev.weft.Channel;
import dev.weft.Weft;
import dev.weft.frame.UninstrumentedFrameError;

/**
 * A fiber that blocks on a channel, in a JVM started without the agent: its lambda was not
 * rewritten, so the receive must fail. Prints the error's message, then whether the receive left
 * a waiter on the channel (a send that finds a receiver would hand it the value).
 */
public final class NoAgentProgram {
  private NoAgentProgram() {}

  public static void main(String[] args) {
    Channel<String> ch = Channel.make();
    Weft.run(
        () -> {
          try {
            ch.receive();
            System.out.println("received");
          } catch (UninstrumentedFrameError e) {
            System.out.println("error: " + e.getMessage());
          }
          System.out.println("a receiver is waiting: " + ch.trySend("x"));
        });
  }
}
