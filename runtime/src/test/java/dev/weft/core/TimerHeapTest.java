package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The timer heap on its own: order, removal, wrap-around. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimerHeapTest {
  /** Records its deadline when fired. */
  private static final class Probe extends Timer {
    private final List<Long> fired;

    Probe(long deadline, List<Long> fired) {
      super(deadline);
      this.fired = fired;
    }

    @Override
    void fire() {
      fired.add(deadline);
    }
  }

  @Test
  void timersFireInDeadlineOrderAndOnlyWhenDue() {
    TimerHeap heap = new TimerHeap();
    List<Long> fired = new ArrayList<>();
    Random random = new Random(7);
    List<Probe> probes = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      Probe p = new Probe(1_000 + random.nextInt(100_000), fired);
      probes.add(p);
      heap.add(p);
    }
    for (int i = 0; i < 100; i++) {
      assertTrue(heap.remove(probes.get(i)));
      assertFalse(heap.remove(probes.get(i)));
    }
    assertEquals(400, heap.size());
    assertFalse(heap.runDue(999));
    heap.runDue(50_000);
    for (long d : fired) {
      assertTrue(d <= 50_000);
    }
    heap.runDue(Long.MAX_VALUE - 2);
    assertEquals(400, fired.size());
    for (int i = 1; i < fired.size(); i++) {
      assertTrue(fired.get(i - 1) <= fired.get(i), "out of order at " + i);
    }
    assertTrue(heap.isEmpty());
    assertEquals(TimerHeap.NONE, heap.nextDeadline());
  }

  @Test
  void hugeTimeoutsStayInTheFuture() {
    long now = System.nanoTime();
    long d = Timer.deadlineAfter(Long.MAX_VALUE);
    assertTrue(d - now > 0, "a huge timeout must still lie ahead by difference");
    assertTrue(d - now >= Timer.MAX_DELAY);
  }

  @Test
  void deadlinesAreComparedByDifferenceAcrossTheWrapAround() {
    // System.nanoTime may wrap: MIN_VALUE + 10 comes 21 ns after MAX_VALUE - 10.
    TimerHeap heap = new TimerHeap();
    List<Long> fired = new ArrayList<>();
    long beforeWrap = Long.MAX_VALUE - 10;
    long afterWrap = Long.MIN_VALUE + 10;
    heap.add(new Probe(afterWrap, fired));
    heap.add(new Probe(beforeWrap, fired));
    assertEquals(beforeWrap, heap.nextDeadline());
    assertFalse(heap.runDue(Long.MAX_VALUE - 20), "nothing is due 10 ns before the first");
    assertTrue(heap.runDue(Long.MAX_VALUE - 5));
    assertEquals(List.of(beforeWrap), fired, "only the timer before the wrap is due");
    assertFalse(heap.runDue(Long.MAX_VALUE));
    assertTrue(heap.runDue(Long.MIN_VALUE + 10));
    assertEquals(List.of(beforeWrap, afterWrap), fired);
    assertTrue(heap.isEmpty());
  }

  @Test
  void aTimerWhoseDeadlineIsTheEmptyMarkerStillCounts() {
    TimerHeap heap = new TimerHeap();
    List<Long> fired = new ArrayList<>();
    heap.add(new Probe(TimerHeap.NONE, fired));
    assertFalse(heap.isEmpty());
    assertTrue(heap.runDue(Long.MIN_VALUE + 5));
    assertEquals(1, fired.size());
  }

  @Test
  void randomAddsCancelsAndFiringsMatchASortedModel() {
    // Grows, rebuilds (over a quarter cancelled), shrinks and reuses slots, against a plain list.
    TimerHeap heap = new TimerHeap();
    List<Long> fired = new ArrayList<>();
    List<Probe> waiting = new ArrayList<>();
    Random random = new Random(3);
    long now = 0;
    for (int step = 0; step < 200_000; step++) {
      int op = random.nextInt(10);
      if (op < 5) {
        Probe p = new Probe(now + 1 + random.nextInt(10_000), fired);
        heap.add(p);
        waiting.add(p);
      } else if (op < 8 && !waiting.isEmpty()) {
        Probe p = waiting.remove(random.nextInt(waiting.size()));
        assertTrue(heap.remove(p));
        assertFalse(heap.remove(p));
      } else {
        now += random.nextInt(op == 9 ? 20_000 : 500);
        fired.clear();
        heap.runDue(now, new Timer[1 + random.nextInt(70)]);
        List<Long> expected = new ArrayList<>();
        for (java.util.Iterator<Probe> it = waiting.iterator(); it.hasNext(); ) {
          Probe p = it.next();
          if (p.deadline <= now) {
            expected.add(p.deadline);
            it.remove();
          }
        }
        java.util.Collections.sort(expected);
        assertEquals(expected, fired, "fired at " + now + ", step " + step);
      }
      assertEquals(waiting.size(), heap.size());
    }
    heap.runDue(Long.MAX_VALUE - 1);
    assertTrue(heap.isEmpty());
    assertEquals(0, heap.entries());
  }

  @Test
  void movingAHeapTakesItsWaitingTimersAndDropsCancelledOnes() {
    // What a worker that gives up its slot does with its timers: they move to the ownerless heap.
    TimerHeap from = new TimerHeap();
    TimerHeap to = new TimerHeap();
    List<Long> fired = new ArrayList<>();
    List<Probe> probes = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Probe p = new Probe(1_000 + i, fired);
      probes.add(p);
      (i % 2 == 0 ? from : to).add(p);
    }
    assertTrue(probes.get(0).cancel());
    assertEquals(1_002, from.moveTo(to), "the earliest waiting deadline moved");
    assertTrue(from.isEmpty());
    assertEquals(0, from.entries());
    assertEquals(TimerHeap.NONE, from.nextDeadline());
    assertEquals(99, to.size());
    assertTrue(probes.get(2).cancel(), "a moved timer can still be cancelled");
    assertFalse(probes.get(2).cancel());
    assertEquals(98, to.size());
    to.runDue(10_000);
    assertEquals(98, fired.size());
    assertFalse(fired.contains(1_000L) || fired.contains(1_002L), "cancelled ones never fire");
    assertTrue(to.isEmpty());
    assertEquals(TimerHeap.NONE, from.moveTo(to), "an empty heap moves nothing");
  }

  /** Says which timer was warmed: its warm() returns its deadline. */
  private static final class Marked extends Timer {
    int warmed;

    Marked(long deadline) {
      super(deadline);
    }

    @Override
    int warm() {
      warmed++;
      return (int) deadline;
    }

    @Override
    void fire() {}
  }

  @Test
  void warmTopReadsTheEarliestTimerAndChangesNothing() {
    TimerHeap heap = new TimerHeap();
    assertEquals(0, heap.warmTop());
    Marked late = new Marked(300);
    Marked early = new Marked(100);
    Marked middle = new Marked(200);
    heap.add(late);
    heap.add(early);
    heap.add(middle);
    assertEquals(100, heap.warmTop());
    assertEquals(1, early.warmed);
    assertEquals(0, late.warmed + middle.warmed);
    assertEquals(3, heap.entries());
    assertEquals(100, heap.nextDeadline());
    heap.runDue(150);
    assertEquals(200, heap.warmTop());
    assertTrue(middle.cancel()); // a cancelled top is still an entry: warmed all the same
    assertEquals(200, heap.warmTop());
    heap.runDue(1_000);
    assertEquals(0, heap.warmTop());
    assertTrue(heap.isEmpty());
  }

  /**
   * warmTop takes no lock: run it against an owner that adds and fires, and another thread that
   * fires too, shrinking the arrays (a heap drained below a quarter of its capacity is resized).
   */
  @Test
  void warmTopNeverFailsWhileTheHeapChangesUnderIt() throws Exception {
    TimerHeap heap = new TimerHeap();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    int rounds = 3_000;
    Thread owner =
        new Thread(
            () -> {
              Random random = new Random(11);
              for (int r = 0; r < rounds; r++) {
                int n = 1 + random.nextInt(2_000);
                for (int i = 0; i < n; i++) {
                  heap.add(new Marked(1 + random.nextInt(1_000)));
                }
                heap.runDue(1_000);
              }
            });
    Thread firer =
        new Thread(
            () -> {
              while (owner.isAlive()) {
                heap.runDue(500);
              }
            });
    Thread warmer =
        new Thread(
            () -> {
              try {
                while (owner.isAlive()) {
                  heap.warmTop();
                }
              } catch (Throwable e) {
                failure.set(e);
              }
            });
    owner.start();
    firer.start();
    warmer.start();
    owner.join();
    firer.join();
    warmer.join();
    if (failure.get() != null) {
      throw new AssertionError("warmTop failed", failure.get());
    }
    heap.runDue(2_000);
    assertTrue(heap.isEmpty());
    assertEquals(0, heap.warmTop());
  }
}
