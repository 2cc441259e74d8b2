package dev.weft.core;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * A park commit racing the wake-up meant for it, and two wake-ups racing each other, as {@link
 * Fiber}'s class comment argues them ("State machine", "An unpark that races with the unwind",
 * "Parking under a lock, without an atomic", "Memory ordering"): the wake is never lost (a committed park is readied exactly once, an
 * unpark that came first leaves a permit the park consumes), the fiber is never readied twice or
 * readied while it carries on, and a worker that resumes it sees the frames its unwind saved.
 *
 * <p>One actor is the fiber: it commits the park and, when committed, unwinds (it writes a saved
 * frame, then ends the unwind as the run loop does). The other is the waker, a plain thread: it
 * unparks the fiber, then plays the worker that picks the fiber up: it takes whatever the unpark
 * queued, waits for the unwind and reads the saved frame.
 */
public final class FiberParkStress {
  private FiberParkStress() {}

  /** What the fiber's unwind saves; a resumer that reads anything else lost the frames. */
  static final int FRAME = 42;

  /**
   * The process's scheduler with no slot to give: a fiber that a plain thread readies goes to the
   * global queue and no worker is started to run it, so the waker finds it there. The scheduler is
   * one per process and the jcstress fork runs nothing else. An unstarted worker is what the
   * global queue hands fibers to.
   */
  static final class Quiet {
    static final Scheduler SCHEDULER = Scheduler.get();
    static final Worker PICKER;

    static {
      SCHEDULER.procs = 0; // wakeIdle: no idle worker, and every slot (none) taken
      PICKER = new Worker(SCHEDULER, -1, 1L << 16);
    }

    private Quiet() {}

    /**
     * A fiber to park, made after the scheduler was quieted: the first unpark must not find a
     * scheduler that starts workers.
     */
    static Fiber newFiber() {
      return new Fiber(() -> {});
    }

    /**
     * The waker's half after its unpark: 0 when nothing was queued, 1 when this fiber was, once;
     * anything else counts strays. Fills {@code seen} with the frame read after the unwind. In the
     * tests that use it the waker is the only actor that queues fibers, one state after another,
     * so what it takes right after its unpark is what that unpark queued.
     */
    static int pickUp(Fiber f, int[] seen) {
      Fiber g = SCHEDULER.global.take(PICKER, 1, 1);
      if (g == null) {
        return 0;
      }
      int picked = g == f ? 1 : 100;
      g.awaitUnwound();
      seen[0] = ((Frames) g.blocker()).saved;
      while (SCHEDULER.global.take(PICKER, 1, 1) != null) {
        picked += 10; // queued twice
      }
      return picked;
    }
  }

  /** The blocker the fiber parks on, and where its unwind saves its frame. */
  static final class Frames {
    int saved;

    /** How often the fiber parked on these frames was queued; see {@link #readiedCount}. */
    int readied;
  }

  /**
   * {@link Fiber#commitPark} (a CAS) against {@link Fiber#unpark} from a plain thread: the permit
   * path and the park path of the state machine, and the unwinding byte that makes the resumer
   * wait for the saved frames.
   */
  @JCStressTest
  @Description("Fiber: park commit (CAS) and unwind against an unpark from another thread")
  @Outcome(
      id = "1, 1, 42, 0",
      expect = Expect.ACCEPTABLE,
      desc = "parked, then readied once; the resumer saw the saved frame")
  @Outcome(
      id = "0, 0, -1, 0",
      expect = Expect.ACCEPTABLE,
      desc = "the unpark came first: its permit was consumed by the park, which did not commit")
  @Outcome(expect = Expect.FORBIDDEN, desc = "a wake lost, the fiber readied twice or while running, or frames lost")
  @State
  public static class CommitAgainstUnpark {
    final Fiber fiber = Quiet.newFiber();
    final Frames frames = new Frames();
    final int[] seen = {-1};
    int committed;
    int picked;

    @Actor
    public void fiber() {
      if (fiber.commitPark(frames)) {
        committed = 1;
        frames.saved = FRAME; // the unwind saves the frames after the commit
        fiber.unwound(false);
      }
    }

    @Actor
    public void waker() {
      fiber.unpark();
      picked = Quiet.pickUp(fiber, seen);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
      r.r1 = committed;
      r.r2 = picked;
      r.r3 = seen[0];
      r.r4 = fiber.stateBits() & (Fiber.STATE_MASK | Fiber.PERMIT);
    }
  }

  /**
   * {@link Fiber#commitParkLocked} (plain stores under the lock that publishes the wait) against the
   * waker that takes the same lock to find the waiter: a waker that finds the waiter sees the park
   * committed and readies the fiber exactly once; one that comes first finds nothing and leaves the
   * fiber parked for a later waker. The lock here is a monitor: the argument needs only that the
   * waker acquires what the parking party released.
   */
  @JCStressTest
  @Description("Fiber: park committed under a lock against the waker that finds the waiter under it")
  @Outcome(
      id = "1, 1, 1, 42, 0",
      expect = Expect.ACCEPTABLE,
      desc = "found and readied once after the commit; the resumer saw the saved frame")
  @Outcome(
      id = "0, 1, 0, -1, 1",
      expect = Expect.ACCEPTABLE,
      desc = "the waker looked before the wait was published: the fiber stays parked")
  @Outcome(expect = Expect.FORBIDDEN, desc = "a found waiter not readied, readied twice, or frames lost")
  @State
  public static class LockedCommitAgainstWaker {
    final Fiber fiber = Quiet.newFiber();
    final Frames frames = new Frames();
    final int[] seen = {-1};
    Frames queued;
    int found;
    int committed;
    int picked;

    @Actor
    public void fiber() {
      boolean c;
      synchronized (this) {
        queued = frames;
        c = fiber.commitParkLocked(frames);
      }
      if (c) {
        committed = 1;
        frames.saved = FRAME;
        fiber.unwound(false);
      }
    }

    @Actor
    public void waker() {
      Frames w;
      synchronized (this) {
        w = queued;
        queued = null;
      }
      if (w != null) {
        found = 1;
        fiber.unpark();
      }
      picked = Quiet.pickUp(fiber, seen);
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
      r.r1 = found;
      r.r2 = committed;
      r.r3 = picked;
      r.r4 = seen[0];
      r.r5 = fiber.stateBits() & (Fiber.STATE_MASK | Fiber.PERMIT);
    }
  }

  /**
   * Counts, per fiber, how often it was queued, for tests whose two actors may both ready a fiber:
   * the arbiters (which run once every actor of every state is done) drain the global queue under
   * one lock, crediting each fiber to the {@link Frames} it is parked on.
   */
  static int readiedCount(Fiber f) {
    synchronized (Quiet.class) {
      for (Fiber g; (g = Quiet.SCHEDULER.global.take(Quiet.PICKER, 1, 1)) != null; ) {
        ((Frames) g.blocker()).readied++;
      }
      return ((Frames) f.blocker()).readied;
    }
  }

  /**
   * {@link Fiber#unpark} against {@link Fiber#timeoutWake} for the same timed park (the class
   * comment's sequence number, "State machine"): the fiber is readied exactly once, and a timer
   * that loses to the unpark leaves no permit, while an unpark that loses to the timer leaves one
   * for the next park (LockSupport's semantics).
   */
  @JCStressTest
  @Description("Fiber: an unpark and the timer of the same timed park race to ready the fiber")
  @Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "the unpark won; the late timer did nothing")
  @Outcome(
      id = "1, 4",
      expect = Expect.ACCEPTABLE,
      desc = "the timer won; the unpark left its permit for the next park")
  @Outcome(expect = Expect.FORBIDDEN, desc = "readied twice, never, or a stray permit from the timer")
  @State
  public static class UnparkAgainstTimeout {
    final Fiber fiber = Quiet.newFiber();
    final Frames frames = new Frames();
    final int seq;

    public UnparkAgainstTimeout() {
      fiber.commitPark(frames); // as commitTimedPark, without arming a real timer
      fiber.unwound(false);
      seq = fiber.stateBits() & Fiber.SEQ_MASK;
    }

    @Actor
    public void waker() {
      fiber.unpark();
    }

    @Actor
    public void timer() {
      fiber.timeoutWake(seq);
    }

    @Arbiter
    public void arbiter(II_Result r) {
      r.r1 = readiedCount(fiber);
      r.r2 = fiber.stateBits() & (Fiber.STATE_MASK | Fiber.PERMIT);
    }
  }

  /**
   * A real timed park's timer, fired from its heap, against an unpark (the re-use of {@link
   * TimedWake}, see its class comment): {@link Fiber#TIMED_OUT} is set exactly when the timer's
   * wake readied the fiber, which is when the fiber may re-arm the timer; then the timer has left
   * its heap and is fired. When the unpark won, the bit is clear and the fiber drops the timer.
   */
  @JCStressTest
  @Description("Fiber: the TIMED_OUT bit says whether the fired timer or an unpark ended the park")
  @Outcome(
      id = "1, 8, 4, 0",
      expect = Expect.ACCEPTABLE,
      desc = "the timer won: TIMED_OUT, the unpark's permit left, the timer out of its heap")
  @Outcome(
      id = "1, 0, 0, 0",
      expect = Expect.ACCEPTABLE,
      desc = "the unpark won: no TIMED_OUT (the timer is dropped), no permit")
  @Outcome(expect = Expect.FORBIDDEN, desc = "TIMED_OUT without the timer's wake, or the reverse")
  @State
  public static class TimedOutBitAgainstUnpark {
    final Fiber fiber = Quiet.newFiber();
    final Frames frames = new Frames();
    final TimerHeap heap = new TimerHeap();
    final TimedWake timer = new TimedWake(fiber);

    public TimedOutBitAgainstUnpark() {
      fiber.commitPark(frames); // as commitTimedPark does, with a heap of the test's own
      fiber.unwound(false);
      timer.seq = fiber.stateBits() & Fiber.SEQ_MASK;
      timer.rearm(0L);
      heap.add(timer);
    }

    @Actor
    public void waker() {
      fiber.unpark();
    }

    @Actor
    public void timerFires() {
      heap.runDue(1L); // due: pops it under the lock, claims it, fires it
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
      r.r1 = readiedCount(fiber);
      r.r2 = fiber.stateBits() & Fiber.TIMED_OUT;
      r.r3 = fiber.stateBits() & Fiber.PERMIT;
      r.r4 = heap.entries() + (timer.state() == Timer.FIRED ? 0 : 100);
    }
  }
}
