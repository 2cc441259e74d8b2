package dev.weft;

import dev.weft.core.WakeRecorder;
import java.lang.reflect.Field;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A select's claim and cancel, as {@link Waiter}'s class comment argues them ("Life of a waiter":
 * the cases of one select share one selection word, the leader's state; a waker claims a case by
 * moving it from WAITING to CLAIMED with a compare-and-set, so exactly one case wins, and wakers
 * that lose discard the case as stale) and as {@link Select#abandon} uses {@link
 * Waiter#cancelSelect}: a withdrawal under every lock either wins the word, and no waker may
 * choose a case any more, or finds it won.
 *
 * <p>Each test sets up a select that waits, as {@code Select.select} leaves it: one receive case on
 * each of two channels of capacity one, their nodes queued under each channel's lock and sharing the
 * first node as leader, with a parker that only records whether it was woken.
 */
public final class SelectClaimStress {
  private SelectClaimStress() {}

  private static final Field WAITING_WITH = waitingWith();

  private static Field waitingWith() {
    try {
      Field f = Select.Case.class.getDeclaredField("waitingWith");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A select waiting to receive from {@code a} or {@code b}. */
  static class WaitingSelect {
    final Channel<Integer> a = Channel.make(1);
    final Channel<Integer> b = Channel.make(1);
    final Select.Case<Integer> fromA = Select.receive(a);
    final Select.Case<Integer> fromB = Select.receive(b);
    final WakeRecorder party = new WakeRecorder();
    final SelectWaiter leader = fromA.node();

    WaitingSelect() {
      Select.Case<?>[] cases = {fromA, fromB};
      try {
        WAITING_WITH.set(fromA, cases); // as select() marks a select that waits
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
      for (Select.Case<Integer> c : cases(fromA, fromB)) {
        c.channel.spinLock();
        c.enqueue(leader, party.parker());
        c.channel.spinUnlock();
      }
    }

    @SafeVarargs
    private static <T> T[] cases(T... cs) {
      return cs;
    }

    /** 1 when case {@code a} won, 2 for {@code b}, 0 when none. */
    int winner() {
      SelectWaiter won = leader.chosen;
      return won == null ? 0 : won == fromA.node ? 1 : won == fromB.node ? 2 : 9;
    }

    /** The value delivered to the winning case, or 0. */
    int delivered() {
      SelectWaiter won = leader.chosen;
      return won == null || won.item == null ? 0 : (Integer) won.item;
    }

    static int buffered(Channel<Integer> ch) {
      Integer v = ch.tryReceive();
      return v == null ? 0 : v;
    }
  }

  /**
   * Senders on both channels wake the same select: exactly one claims it and delivers its value to
   * the winning case; the other discards its stale node and buffers its value, which is not lost.
   */
  @JCStressTest
  @Description("Select: two channels' senders race to wake the same select")
  @Outcome(
      id = "1, 1, 2, 1",
      expect = Expect.ACCEPTABLE,
      desc = "a won with 1, b's 2 buffered; the select woken")
  @Outcome(
      id = "2, 2, 1, 1",
      expect = Expect.ACCEPTABLE,
      desc = "b won with 2, a's 1 buffered; the select woken")
  @Outcome(expect = Expect.FORBIDDEN, desc = "no winner or two, a value lost or twice, no wake-up")
  @State
  public static class TwoWakers extends WaitingSelect {
    boolean sentA;
    boolean sentB;

    @Actor
    public void senderA() {
      sentA = a.trySend(1);
    }

    @Actor
    public void senderB() {
      sentB = b.trySend(2);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
      int w = winner();
      r.r1 = sentA && sentB && leader.isDone() ? w : -1;
      r.r2 = delivered();
      r.r3 = buffered(w == 1 ? b : a) + 10 * buffered(w == 1 ? a : b);
      r.r4 = party.woken() ? 1 : 0;
    }
  }

  /**
   * A sender claims the select while the select withdraws ({@link Select#abandon}, a throwable
   * escaped its wait): either the claim wins (the value is delivered, the select woken) or the
   * withdrawal does (the sender finds only a stale node and buffers its value); never neither.
   */
  @JCStressTest
  @Description("Select: a sender's claim against the select's withdrawal")
  @Outcome(id = "1, 1, 0", expect = Expect.ACCEPTABLE, desc = "the claim won: delivered, woken")
  @Outcome(id = "1, 0, 1", expect = Expect.ACCEPTABLE, desc = "the withdrawal won: value buffered")
  @Outcome(expect = Expect.FORBIDDEN, desc = "the value lost, or delivered and buffered")
  @State
  public static class ClaimAgainstWithdraw extends WaitingSelect {
    boolean sent;

    @Actor
    public void sender() {
      sent = a.trySend(1);
    }

    @Actor
    public void withdraw() {
      Select.abandon(leader, party.parker());
    }

    @Arbiter
    public void arbiter(III_Result r) {
      r.r1 = sent ? 1 : 0;
      r.r2 = party.woken() ? 1 : 0;
      r.r3 = buffered(a);
    }
  }
}
