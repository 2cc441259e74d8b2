package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.frame.FrameStack;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rewritten code called outside any fiber runs as written: with no frame stack on the thread every
 * suspendable call is a plain call, and a park blocks the thread. The same methods computed in a
 * fiber give the same results. (The agent module can only verify the rewritten classes: the
 * runtime is not on its class path.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PlainThreadShapeTest extends ShapeTest {

  @Test
  void rewrittenMethodsRunAsPlainCodeOnAPlainThread() {
    assertNull(FrameStack.current(), "the test thread is a plain thread");
    long plain = mixed(40);
    AtomicLong inFiber = new AtomicLong();
    Weft.run(() -> inFiber.set(mixed(40)));
    assertEquals(inFiber.get(), plain);
    assertEquals(expected(40), plain);
  }

  /** Loops, a try/catch/finally, recursion, a lambda and channel operations around suspensions. */
  @Suspendable
  static long mixed(int n) {
    Channel<Integer> ch = Channel.make(n);
    long acc = 0;
    for (int i = 0; i < n; i++) {
      Weft.gosched();
      ch.send(i);
    }
    List<Integer> seen = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        int v = ch.receive();
        seen.add(v);
        acc += depth(v % 5) * v;
        if (v == n / 2) {
          throw new IllegalStateException("half-way");
        }
      }
    } catch (IllegalStateException e) {
      acc += 1_000;
    } finally {
      Weft.gosched();
      acc += seen.size();
    }
    return acc + ch.len();
  }

  @Suspendable
  static int depth(int k) {
    if (k == 0) {
      Weft.gosched();
      return 1;
    }
    return 1 + depth(k - 1);
  }

  /** What {@link #mixed} computes, without anything suspendable. */
  private static long expected(int n) {
    long acc = 0;
    int received = 0;
    for (int v = 0; v <= n / 2; v++) {
      received++;
      acc += (long) (v % 5 + 1) * v;
    }
    assertTrue(received > 0);
    return acc + 1_000 + received + (n - received);
  }
}
