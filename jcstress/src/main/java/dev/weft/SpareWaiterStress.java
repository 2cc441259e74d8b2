package dev.weft;

import dev.weft.core.Parker;
import dev.weft.core.WakeRecorder;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The spare waiter, as {@link Waitable}'s class comment ("The spare waiter") argues it: the party
 * whose wait is over hands its node back without the lock (reset with plain stores, then a release
 * store of the spare), while a party about to park takes the spare under the lock (an acquire
 * load). A taker that gets the handed-back node must find it clean: reset, owned by the object, in
 * no queue, with no outcome and no one to wake.
 */
public final class SpareWaiterStress {
  private SpareWaiterStress() {}

  /** The smallest {@link Waitable}: a lock, a spare, no queue of its own. */
  static final class Owner extends Waitable {
    @Override
    void unqueue(Waiter w) {}

    @Override
    String describeWait(Waiter w) {
      return "a stress test's wait";
    }
  }

  /** A parker that only records a wake-up: nothing is scheduled by it. */
  static final Parker IDLE_PARKER = new WakeRecorder().parker();

  /** A node as a completed wait leaves it: queued links, an outcome, DONE. */
  static Waiter used(Owner owner) {
    Waiter w = new Waiter();
    w.owner = owner;
    w.next = w;
    w.prev = w;
    w.parker = IDLE_PARKER;
    w.item = "a value";
    w.ok = true;
    w.state = Waiter.DONE;
    return w;
  }

  static boolean clean(Waiter w, Owner owner) {
    return w.next == null
        && w.prev == null
        && w.parker == null
        && w.item == null
        && !w.ok
        && w.state == Waiter.WAITING
        && w.owner == owner;
  }

  /** {@link Waitable#recycle} (no lock) against {@link Waitable#takeWaiter} (under the lock). */
  @JCStressTest
  @Description("Waitable: the spare handed back without the lock against a taker under the lock")
  @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "took the handed-back node, clean")
  @Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "no spare yet: took a new node")
  @Outcome(id = "1, 0", expect = Expect.FORBIDDEN, desc = "took the handed-back node unclean")
  @Outcome(expect = Expect.FORBIDDEN, desc = "a new node unclean")
  @State
  public static class HandBackAgainstTake {
    final Owner owner = new Owner();
    final Waiter done = used(owner);

    @Actor
    public void wokenParty() {
      owner.recycle(done);
    }

    @Actor
    public void parkingParty(II_Result r) {
      owner.spinLock();
      Waiter w = owner.takeWaiter();
      owner.spinUnlock();
      r.r1 = w == done ? 1 : 0;
      r.r2 = clean(w, owner) ? 1 : 0;
    }
  }

  /**
   * Two parties hand their nodes back at once while the spare is taken: at most one node is kept,
   * the other is garbage, and a node kept as the spare is clean and is no node already taken.
   */
  @JCStressTest
  @Description("Waitable: two hand-backs at once, then a taker")
  @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "the first node kept, clean")
  @Outcome(id = "2, 1", expect = Expect.ACCEPTABLE, desc = "the second node kept, clean")
  @Outcome(expect = Expect.FORBIDDEN, desc = "no node kept, or an unclean one")
  @State
  public static class TwoHandBacks {
    final Owner owner = new Owner();
    final Waiter first = used(owner);
    final Waiter second = used(owner);

    @Actor
    public void firstParty() {
      owner.recycle(first);
    }

    @Actor
    public void secondParty() {
      owner.recycle(second);
    }

    @org.openjdk.jcstress.annotations.Arbiter
    public void arbiter(II_Result r) {
      owner.spinLock();
      Waiter w = owner.takeWaiter();
      owner.spinUnlock();
      r.r1 = w == first ? 1 : w == second ? 2 : 0;
      r.r2 = clean(w, owner) ? 1 : 0;
    }
  }
}
