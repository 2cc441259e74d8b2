package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
}
