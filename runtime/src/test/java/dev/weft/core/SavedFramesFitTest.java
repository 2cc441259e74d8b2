package dev.weft.core;

import static dev.weft.core.ParkerTest.atProcs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.weft.Channel;
import dev.weft.Eventually;
import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.frame.FrameStack;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The saved-frame arrays of a parked fiber hold what its suspension saved and little more: cut to
 * size after its first suspension, and after a deep excursion.
 */
@Timeout(60)
class SavedFramesFitTest {
  private static final Object TOKEN = "token";

  /** A pipeline stage, as the pipeline benchmark's. */
  @Suspendable
  private static void relay(Channel<Object> in, Channel<Object> out) {
    for (Object v; (v = in.receive()) != null; ) {
      out.send(v);
    }
    out.close();
  }

  /**
   * Waits until the fiber in {@code ref} is parked in a park other than the one numbered {@code
   * after} (the park sequence in the state word's high bits), and its unwind is over.
   */
  private static Fiber parkedFiber(AtomicReference<Fiber> ref, int after) {
    assertTrue(
        Eventually.until(
            () -> {
              Fiber f = ref.get();
              if (f == null) {
                return false;
              }
              int s = f.stateBits();
              return (s & Fiber.STATE_MASK) == Fiber.PARKED
                  && (s & Fiber.SEQ_MASK) != (after & Fiber.SEQ_MASK);
            },
            Duration.ofSeconds(20)),
        "the fiber never parked");
    Fiber f = ref.get();
    f.awaitUnwound();
    return f;
  }

  // The test thread is a plain thread: it waits for the fibers to park without holding a worker.

  @Test
  void aStageParkedForTheFirstTimeKeepsNoSpareSlotThatCostsMemory() {
    // A stress yield before the first park would be the first suspension, at another depth.
    assumeFalse(FrameStack.STRESS_YIELD, "the stress mode adds suspensions of its own");
    atProcs(
        1,
        () -> {
          Channel<Object> in = Channel.make();
          Channel<Object> out = Channel.make();
          AtomicReference<Fiber> stage = new AtomicReference<>();
          Weft.go(
              () -> {
                stage.set(Fiber.current());
                relay(in, out);
              });
          Fiber f = parkedFiber(stage, -1);
          int firstPark = f.stateBits();
          // One spare reference slot may share its 8-byte unit with a used one.
          assertTrue(
              f.capacityBytes() - f.savedBytes() <= 4,
              f.capacityBytes() + " bytes of arrays for " + f.savedBytes() + " saved");
          long fitted = f.capacityBytes();
          in.send(TOKEN);
          assertEquals(TOKEN, out.receive());
          // Parked again at the same depth: the arrays still fit, and were kept.
          f = parkedFiber(stage, firstPark);
          assertEquals(fitted, f.capacityBytes());
          in.close();
          assertEquals(null, out.receive());
        });
  }

  @Suspendable
  private static long deep(int depth, Channel<Object> bottom, long acc) {
    if (depth == 0) {
      bottom.receive();
      return acc;
    }
    String s = "frame" + depth;
    return deep(depth - 1, bottom, acc + s.length()) + s.hashCode();
  }

  @Test
  void aFiberParkedShallowAfterADeepExcursionKeepsNoDeepArrays() {
    atProcs(
        1,
        () -> {
          Channel<Object> bottom = Channel.make();
          Channel<Object> top = Channel.make();
          Channel<Object> done = Channel.make();
          AtomicReference<Fiber> ref = new AtomicReference<>();
          Weft.go(
              () -> {
                ref.set(Fiber.current());
                deep(500, bottom, 0);
                top.receive();
                done.close();
              });
          Fiber f = parkedFiber(ref, -1);
          int deepPark = f.stateBits();
          long deepBytes = f.capacityBytes();
          assertTrue(deepBytes > 4_000, "500 frames deep: " + deepBytes);
          bottom.send(TOKEN);
          f = parkedFiber(ref, deepPark);
          assertTrue(
              f.capacityBytes() <= 4 * f.savedBytes() + 64,
              f.capacityBytes() + " bytes of arrays for " + f.savedBytes() + " saved");
          top.send(TOKEN);
          assertEquals(null, done.receive());
        });
  }

  @Test
  void anEndedFiberKeepsNoArrays() {
    // An ended fiber can stay referenced for a long time (a stale slot of a run queue's ring):
    // the arrays its deepest park grew must not stay with it.
    atProcs(
        1,
        () -> {
          Channel<Object> bottom = Channel.make();
          AtomicReference<Fiber> ref = new AtomicReference<>();
          Weft.go(
              () -> {
                ref.set(Fiber.current());
                deep(500, bottom, 0);
              });
          Fiber f = parkedFiber(ref, -1);
          assertTrue(f.capacityBytes() > 4_000, "500 frames deep: " + f.capacityBytes());
          bottom.send(TOKEN);
          assertTrue(Eventually.until(f::isDone, Duration.ofSeconds(20)), "the fiber never ended");
          assertEquals(0, f.capacityBytes(), "bytes of arrays kept by an ended fiber");
        });
  }

  @Test
  void aParkedFiberKeepsNothingItDroppedSinceItsLastPark() {
    // A resume leaves what it restores in the array's slots (a save at the same depth then finds
    // the same objects there and writes nothing); the end of the next unwind must empty the slots
    // above what that unwind saved, or a parked fiber keeps alive what it dropped long ago.
    atProcs(
        1,
        () -> {
          Channel<Object> bottom = Channel.make();
          Channel<Object> top = Channel.make();
          Channel<Object> done = Channel.make();
          AtomicReference<Fiber> ref = new AtomicReference<>();
          AtomicReference<WeakReference<Object>> dropped = new AtomicReference<>();
          Weft.go(
              () -> {
                ref.set(Fiber.current());
                Object held = new byte[1 << 20];
                dropped.set(new WeakReference<>(held));
                // Parked 20 frames down with held saved in this frame, at the top of the arrays.
                deep(20, bottom, 0);
                assertNotNull(held);
                // Parked just below this frame, where held is dead: saved nowhere.
                top.receive();
                done.close();
              });
          Fiber f = parkedFiber(ref, -1);
          int deepPark = f.stateBits();
          bottom.send(TOKEN);
          parkedFiber(ref, deepPark);
          WeakReference<Object> weak = dropped.get();
          assertTrue(
              Eventually.until(
                  () -> {
                    System.gc();
                    return weak.get() == null;
                  },
                  Duration.ofSeconds(10)),
              "a parked fiber still holds an array its frames dropped before it parked");
          top.send(TOKEN);
          assertEquals(null, done.receive());
        });
  }
}
