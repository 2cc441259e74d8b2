package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.frame.FrameStack;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link FrameStack#savedFrameLayout()}: each saved frame with the values it pushed, what
 * docs/diagrams/frame_stack.py draws from a real fiber. In dev.weft, not dev.weft.frame: the agent
 * never rewrites the frame package, so the fiber's methods must live elsewhere.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SavedFrameLayoutTest {
  private static final String TABLE = "\u0001" + (char) 14 + "a.b.C.m(C.java" + (char) 42 + (char) 7;

  /** Innermost first; each frame's values in the order they were pushed, references by class. */
  @Test
  void eachFrameListsItsValuesInPushOrder() {
    FrameStack s = new FrameStack() {};
    FrameStack.pushLong(5, s);
    FrameStack.pushRef("x", s);
    FrameStack.pushRef(null, s);
    FrameStack.pushFrame(1, 5, TABLE, s);
    FrameStack.pushFrame(0, 9, "p.Q.r(Q.java:9)", s);
    assertEquals(
        List.of(
            "a.b.C.m(C.java:7)\tentry=1\tprims=[5]\trefs=[java.lang.String, null]",
            "p.Q.r(Q.java:9)\tentry=0\tprims=[]\trefs=[]"),
        s.savedFrameLayout());
  }

  @Test
  void anEmptyStackHasNoFrames() {
    assertEquals(List.of(), new FrameStack() {}.savedFrameLayout());
  }

  static volatile FrameStack parked;

  @Suspendable
  static long relay(Channel<String> in, Channel<String> out) {
    long total = 3;
    parked = FrameStack.current();
    for (String s = in.receive(); s != null; s = in.receive()) {
      total += s.length();
      out.send(s);
    }
    return total;
  }

  /** A fiber parked in a receive below relay: both frames, relay's long and its two channels. */
  @Test
  void aParkedFibersFramesShowWhatEachSaved() throws Exception {
    Channel<String> in = Channel.make();
    Channel<String> out = Channel.make(1);
    CountDownLatch ended = new CountDownLatch(1);
    parked = null;
    Weft.go(
        () -> {
          relay(in, out);
          ended.countDown();
        });
    // The fiber's frames are read from another thread, racing with its unwind (and with a
    // rewind, should a stray permit wake it early): wait until two reads a moment apart agree on
    // the whole stack, receive on top of relay on top of the fiber's lambda.
    List<List<String>> last = new java.util.ArrayList<>(List.of(List.of()));
    boolean settled =
        Eventually.until(
            () -> {
              List<String> now = layoutOf(parked);
              boolean same = now.size() == 3 && now.equals(last.get(0));
              last.set(0, now);
              return same;
            },
            java.time.Duration.ofSeconds(30));
    List<String> frames = last.get(0);
    assertTrue(settled, () -> "the fiber's frames never settled: " + frames);
    in.close();
    assertTrue(ended.await(30, TimeUnit.SECONDS));
    assertTrue(frames.get(0).startsWith("dev.weft.Channel.receive(Channel.java:"), frames.toString());
    String relay = frames.get(1);
    assertTrue(relay.startsWith("dev.weft.SavedFrameLayoutTest.relay(SavedFrameLayoutTest.java:"), relay);
    assertTrue(relay.contains("prims=[3]"), relay);
    assertTrue(relay.contains("dev.weft.Channel, dev.weft.Channel"), relay);
  }

  /** The frames, or none while a read torn by a concurrent unwind cannot even be decoded. */
  private static List<String> layoutOf(FrameStack s) {
    try {
      return s == null ? List.of() : s.savedFrameLayout();
    } catch (RuntimeException torn) {
      return List.of();
    }
  }
}
