package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The timer heap on its own: order, removal, saturation. */
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
  void hugeTimeoutsSaturateInsteadOfWrapping() {
    long d = Timer.deadlineAfter(Long.MAX_VALUE);
    assertTrue(d > System.nanoTime());
  }
}
