import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.frame.FrameStack;

/**
 * The fiber that docs/images/frame-stack.svg draws: relay() parked in in.receive(). Prints the
 * fiber's saved frames, innermost first, as FrameStack.savedFrameLayout() gives them;
 * frame_stack.py runs it under the agent and draws what it prints.
 */
public class RelayFrames {
  static volatile FrameStack parked;

  @Suspendable
  static long relay(Channel<String> in, Channel<String> out) {
    long total = 0;
    parked = FrameStack.current();
    for (String s = in.receive(); s != null; s = in.receive()) {
      total += s.length();
      out.send(s);
    }
    return total;
  }

  public static void main(String[] args) throws Exception {
    Channel<String> in = Channel.make();
    Channel<String> out = Channel.make(1);
    Weft.go(() -> relay(in, out));
    while (parked == null || parked.savedFrames() == 0) {
      Thread.sleep(1);
    }
    parked.savedFrameLayout().forEach(System.out::println);
  }
}
