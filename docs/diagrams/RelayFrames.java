import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.frame.FrameStack;
import java.util.List;

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
    // Read from this thread while the fiber unwinds (or rewinds, should a stray permit wake it):
    // print once two reads a moment apart agree on the whole stack.
    List<String> last = List.of();
    for (int tries = 0; tries < 10_000; tries++) {
      List<String> now = layoutOf(parked);
      if (now.size() == 3 && now.equals(last)) {
        now.forEach(System.out::println);
        return;
      }
      last = now;
      Thread.sleep(1);
    }
    throw new IllegalStateException("the fiber's frames never settled: " + last);
  }

  private static List<String> layoutOf(FrameStack s) {
    try {
      return s == null ? List.of() : s.savedFrameLayout();
    } catch (RuntimeException torn) {
      return List.of();
    }
  }
}
