package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.weft.Channel;
import dev.weft.Weft;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Once an application's fibers have ended and the workers have nothing to run, nothing in the
 * runtime keeps the application's class loader reachable, or an undeployed application stays in
 * memory for as long as the workers live. Two references could: the lambda proxy a worker
 * remembers as passing suspensions straight through (the memo that saves {@code ch.forEach(v ->
 * out.send(v))} a lookup per call), forgotten when the worker goes idle; and an ended fiber's
 * task, which a stale slot of a worker's run queue can keep, dropped when the fiber ends.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class ApplicationLoaderReleasedTest {
  @Test
  void theLoaderOfEndedFibersCanBeCollected() throws Exception {
    ReferenceQueue<ClassLoader> collected = new ReferenceQueue<>();
    WeakReference<ClassLoader> dropped = echoFromADroppedLoader(collected);
    // The workers go idle once the echo has ended; the loader is then unreachable unless a worker
    // still holds its proxy. The reference queue is filled when the collector finds it so.
    for (int i = 0; i < 100 && dropped.get() != null; i++) {
      System.gc();
      collected.remove(100);
    }
    assertNull(
        dropped.get(), "the runtime still keeps the dropped loader of fibers that have ended");
  }

  private static WeakReference<ClassLoader> echoFromADroppedLoader(
      ReferenceQueue<ClassLoader> collected) throws Exception {
    ClassLoader app =
        new OneClassLoader(ApplicationLoaderReleasedTest.class.getClassLoader(), Echo.class);
    @SuppressWarnings("unchecked")
    Supplier<Object> echo =
        (Supplier<Object>) app.loadClass(Echo.class.getName()).getConstructor().newInstance();
    assertEquals(4950, echo.get(), "the echo passed every value once");
    return new WeakReference<>(app, collected);
  }

  /**
   * Stands for an application's code: a fiber echoes through {@code forEach} with a lambda, whose
   * every {@code send} suspends (the receiver is a plain thread), so the lambda proxy passes each
   * suspension through and the worker remembers it.
   */
  public static final class Echo implements Supplier<Object> {
    public Echo() {}

    @Override
    public Object get() {
      try {
        Channel<Integer> in = Channel.make();
        Channel<Integer> out = Channel.make();
        Weft.go(
            () -> {
              // A yield puts the fiber in its worker's ring, whose slot is not cleared when a
              // fiber is taken from it (a thief may still read it): the slot then keeps the
              // ended fiber.
              Weft.gosched();
              in.forEach(v -> out.send(v));
              out.close();
            });
        int sum = 0;
        for (int i = 0; i < 100; i++) {
          in.send(i);
          sum += out.receive();
        }
        in.close();
        if (out.receive() != null) {
          throw new AssertionError("the echo sent a value nobody gave it");
        }
        return sum;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }
}
