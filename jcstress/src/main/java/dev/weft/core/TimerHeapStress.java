package dev.weft.core;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * A timer heap's claims ({@link TimerHeap}, {@link Timer}): a cancel from another thread, racing
 * the thread that fires the heap or the owner that adds to it, either wins (the timer never fires)
 * or loses (it fired exactly once), and the heap's count of waiting timers stays exact.
 */
public final class TimerHeapStress {
  private TimerHeapStress() {}

  /** Counts its firings. */
  static final class Counting extends Timer {
    int fired;

    Counting(long deadline) {
      super(deadline);
    }

    @Override
    void fire() {
      fired++;
    }
  }

  /** A thread cancels a due timer while another fires the heap. */
  @JCStressTest
  @Description("TimerHeap: cancel from one thread against runDue on another")
  @Outcome(id = "100", expect = Expect.ACCEPTABLE, desc = "cancel won: never fired, none left")
  @Outcome(id = "10", expect = Expect.ACCEPTABLE, desc = "fired once, cancel said so, none left")
  @Outcome(expect = Expect.FORBIDDEN, desc = "fired and cancelled, twice, or miscounted")
  @State
  public static class CancelAgainstFire {
    final TimerHeap heap = new TimerHeap();
    final Counting t = new Counting(100);
    boolean cancelled;

    public CancelAgainstFire() {
      heap.add(t);
    }

    @Actor
    public void canceller() {
      cancelled = t.cancel();
    }

    @Actor
    public void firer() {
      heap.runDue(200, new Timer[4]);
    }

    @Arbiter
    public void arbiter(I_Result r) {
      heap.runDue(300, new Timer[4]); // drops the entry if the cancel came after the firing looked
      r.r1 = (cancelled ? 100 : 0) + t.fired * 10 + heap.size() + heap.entries();
    }
  }

  /**
   * The owner adds a timer (which rebuilds the heap: more than a quarter of its entries are
   * cancelled) while another thread cancels one of the waiting ones; then everything is fired.
   */
  @JCStressTest
  @Description("TimerHeap: cancel from one thread against the owner's add and rebuild")
  @Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "counts exact, only waiting timers fired")
  @Outcome(expect = Expect.FORBIDDEN, desc = "a cancelled timer fired, a waiting one was lost")
  @State
  public static class CancelAgainstRebuild {
    final TimerHeap heap = new TimerHeap();
    final Counting[] timers = new Counting[80];
    final Counting added = new Counting(5);
    final Counting victim;
    boolean cancelled;

    public CancelAgainstRebuild() {
      for (int i = 0; i < timers.length; i++) {
        timers[i] = new Counting(1_000 - i);
        heap.add(timers[i]);
      }
      for (int i = 0; i < 30; i++) {
        timers[2 * i].cancel();
      }
      victim = timers[1];
    }

    @Actor
    public void owner() {
      heap.add(added);
    }

    @Actor
    public void canceller() {
      cancelled = victim.cancel();
    }

    @Arbiter
    public void arbiter(I_Result r) {
      int sizeBefore = heap.size();
      heap.runDue(10_000, new Timer[8]);
      int ok = cancelled && sizeBefore == 80 - 30 - 1 + 1 ? 1 : 0;
      for (Counting t : timers) {
        boolean wasCancelled = t == victim || (t.deadline % 2 == 0 && indexOf(t) < 60);
        if (t.fired != (wasCancelled ? 0 : 1)) {
          ok = 0;
        }
      }
      if (added.fired != 1 || heap.size() != 0 || heap.entries() != 0) {
        ok = 0;
      }
      r.r1 = ok;
    }

    private int indexOf(Counting t) {
      for (int i = 0; i < timers.length; i++) {
        if (timers[i] == t) {
          return i;
        }
      }
      return -1;
    }
  }
}
