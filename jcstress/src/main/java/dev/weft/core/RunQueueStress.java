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
 * The run queue's claims ({@link RunQueue}'s "Memory ordering"): whatever the interleaving of its
 * owner and a thief, every fiber put is taken exactly once, and a thief never takes a slot the
 * owner has not published.
 */
public final class RunQueueStress {
  private RunQueueStress() {}

  /** Fibers whose identity is all that matters here; they never run. */
  static Fiber[] fibers(int n) {
    Fiber[] out = new Fiber[n];
    for (int i = 0; i < n; i++) {
      out[i] = new Fiber(() -> {});
    }
    return out;
  }

  /**
   * Encodes how often each fiber was taken: 1 when every fiber came out exactly once, else the
   * first fiber's index + 2 times ten plus its count, so a failure names what went wrong.
   */
  static int exactlyOnce(Fiber[] fibers, Fiber... taken) {
    for (int i = 0; i < fibers.length; i++) {
      int count = 0;
      for (Fiber t : taken) {
        if (t == fibers[i]) {
          count++;
        }
      }
      if (count != 1) {
        return (i + 2) * 10 + count;
      }
    }
    return 1;
  }

  /** The owner puts two and takes one while a thief steals: each fiber exactly once. */
  @JCStressTest
  @Description("RunQueue: owner put/put/take against a thief's stealInto")
  @Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "every fiber taken exactly once")
  @Outcome(expect = Expect.FORBIDDEN, desc = "a fiber lost or taken twice")
  @State
  public static class PutTakeSteal {
    final GlobalQueue global = new GlobalQueue();
    final RunQueue queue = new RunQueue();
    final RunQueue thiefs = new RunQueue();
    final Fiber[] fibers = fibers(3);
    Fiber ownerTook;
    Fiber thiefTook;

    @Actor
    public void owner() {
      queue.put(fibers[0], false, global);
      queue.put(fibers[1], false, global);
      queue.put(fibers[2], false, global);
      ownerTook = queue.take(true);
    }

    @Actor
    public void thief() {
      thiefTook = queue.stealInto(thiefs, false);
    }

    @Arbiter
    public void arbiter(I_Result r) {
      Fiber[] rest = new Fiber[8];
      int n = 0;
      rest[n++] = ownerTook;
      rest[n++] = thiefTook;
      for (Fiber f = queue.take(true); f != null; f = queue.take(true)) {
        rest[n++] = f;
      }
      for (Fiber f = thiefs.take(true); f != null; f = thiefs.take(true)) {
        rest[n++] = f;
      }
      r.r1 = exactlyOnce(fibers, rest);
    }
  }

  /**
   * The runNext hand-off: the owner fills runNext twice (the first goes to the ring) while a
   * thief may take runNext itself.
   */
  @JCStressTest
  @Description("RunQueue: runNext replaced by its owner while a thief takes it")
  @Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "every fiber taken exactly once")
  @Outcome(expect = Expect.FORBIDDEN, desc = "a fiber lost or taken twice")
  @State
  public static class RunNextSteal {
    final GlobalQueue global = new GlobalQueue();
    final RunQueue queue = new RunQueue();
    final RunQueue thiefs = new RunQueue();
    final Fiber[] fibers = fibers(2);
    Fiber thiefTook;

    @Actor
    public void owner() {
      queue.put(fibers[0], true, global);
      queue.put(fibers[1], true, global);
    }

    @Actor
    public void thief() {
      thiefTook = queue.stealInto(thiefs, true);
    }

    @Arbiter
    public void arbiter(I_Result r) {
      Fiber[] all = new Fiber[8];
      int n = 0;
      all[n++] = thiefTook;
      for (Fiber f = queue.take(false); f != null; f = queue.take(false)) {
        all[n++] = f;
      }
      for (Fiber f = thiefs.take(true); f != null; f = thiefs.take(true)) {
        all[n++] = f;
      }
      r.r1 = exactlyOnce(fibers, all);
    }
  }

  /** Two thieves at once on a full-enough ring: nothing twice, nothing lost. */
  @JCStressTest
  @Description("RunQueue: two thieves stealing half of the same ring")
  @Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "every fiber taken exactly once")
  @Outcome(expect = Expect.FORBIDDEN, desc = "a fiber lost or taken twice")
  @State
  public static class TwoThieves {
    final GlobalQueue global = new GlobalQueue();
    final RunQueue queue = new RunQueue();
    final RunQueue first = new RunQueue();
    final RunQueue second = new RunQueue();
    final Fiber[] fibers = fibers(5);
    Fiber firstTook;
    Fiber secondTook;

    public TwoThieves() {
      for (Fiber f : fibers) {
        queue.put(f, false, global);
      }
    }

    @Actor
    public void thiefOne() {
      firstTook = queue.stealInto(first, false);
    }

    @Actor
    public void thiefTwo() {
      secondTook = queue.stealInto(second, false);
    }

    @Arbiter
    public void arbiter(I_Result r) {
      Fiber[] all = new Fiber[12];
      int n = 0;
      all[n++] = firstTook;
      all[n++] = secondTook;
      for (RunQueue q : new RunQueue[] {queue, first, second}) {
        for (Fiber f = q.take(true); f != null; f = q.take(true)) {
          all[n++] = f;
        }
      }
      r.r1 = exactlyOnce(fibers, all);
    }
  }
}
