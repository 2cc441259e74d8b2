package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.SuspendableConsumer;
import dev.weft.frame.UninstrumentedFrameError;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker remembers the last lambda proxy class it saw pass a call straight to its target, so
 * that the next call through the same proxy costs two compares. The memo must answer for that
 * proxy and that callee together: one unbound method reference ({@code Runnable::run}, one proxy
 * class) reaches a rewritten {@code run} straight, and a plain {@code run} that calls a rewritten
 * method; right after the proxy was accepted for the first, a suspension below the plain one must
 * still fail naming it, and never replay it.
 */
@Timeout(60)
class PassThroughMemoShapeTest extends ShapeTest {
  static final AtomicInteger plainRuns = new AtomicInteger();
  static final AtomicInteger rewrittenRuns = new AtomicInteger();

  /** Rewritten: a target of the proxy; suspends when asked. */
  static final class Rewritten implements Runnable {
    final boolean pause;

    Rewritten(boolean pause) {
      this.pause = pause;
    }

    @Override
    @Suspendable
    public void run() {
      rewrittenRuns.incrementAndGet();
      if (pause) {
        Pause.here();
      }
    }
  }

  /** Not rewritten (Runnable.run is not suspendable): a plain frame below the proxy. */
  static final class Plain implements Runnable {
    @Override
    public void run() {
      plainRuns.incrementAndGet();
      Pause.here();
    }
  }

  @Suspendable
  static void both(SuspendableConsumer<Runnable> c, Runnable first, Runnable second)
      throws Exception {
    c.accept(first); // on the same worker as the next call: nothing suspends in between
    c.accept(second);
  }

  @Test
  void aProxyAcceptedForItsTargetIsRefusedForAMethodBelowAPlainFrame() {
    SuspendableConsumer<Runnable> c = Runnable::run;
    plainRuns.set(0);
    rewrittenRuns.set(0);
    UninstrumentedFrameError e =
        assertThrows(
            UninstrumentedFrameError.class,
            () -> Fibers.run(() -> both(c, new Rewritten(false), new Plain())));
    assertTrue(
        e.getMessage().contains("Plain.run"),
        () -> "the message should name Plain.run: " + e.getMessage());
    assertEquals(1, rewrittenRuns.get());
    assertEquals(1, plainRuns.get(), "the plain frame ran more than once for one call");
  }

  @Test
  void callsThroughTheRememberedProxySuspend() {
    SuspendableConsumer<Runnable> c = Runnable::run;
    rewrittenRuns.set(0);
    int total =
        Fibers.call(
            () -> {
              int sum = 0;
              for (int i = 0; i < 200; i++) {
                both(c, new Rewritten(false), new Rewritten(true));
                sum += i;
              }
              return sum;
            });
    assertEquals(199 * 100, total);
    assertEquals(400, rewrittenRuns.get());
  }
}
