package dev.weft;

import dev.weft.core.Parker;
import dev.weft.core.WakeSource;
import dev.weft.core.Withdrawable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One party waiting in a queue of a {@link Channel}, {@link Mutex} or {@link WaitGroup}: Go's
 * {@code sudog}. It is also the blocker handed to {@link Parker#park}, so a fiber dump shows what
 * the fiber waits on ({@link #toString()}) and the deadlock detector asks it whether a plain
 * thread could still wake the fiber.
 *
 * <h2>Life of a waiter</h2>
 *
 * <pre>
 *   waiting party                         waker (holds the owner's lock)
 *   -------------                         ------------------------------
 *   lock; take node
 *   enqueue; unlock
 *   do park() while !isDone()       .-->  dequeue (prev = null); claim()
 *                                   |     item = outcome; p = node.parker
 *                                   '---  prev = DELIVERED or NOT_DELIVERED (release);
 *                                         unlock; p.unpark()
 *   read item, ok() (after the acquire of isDone); recycle node
 * </pre>
 *
 * <h2>Where the outcome is kept</h2>
 *
 * A plain wait's completion and its ok flag live in {@link #prev}, which a completed node no
 * longer needs: a waker always dequeues a node (setting its links to null) before it completes
 * it, and a completed node is in no queue until it is reset. Completing it stores one of two
 * marker nodes there, {@link #DELIVERED} or {@link #NOT_DELIVERED}, with a release store;
 * {@link #isDone()} is an acquire load of it. So a plain node has no state word and no flag: 32
 * bytes, the per-wait cost of every parked fiber. Whether a node is queued is still told by
 * {@link #next} alone ({@link WaitList#isQueued}), which completion does not touch.
 *
 * A plain operation's waiter is in one queue and dequeued once, so claiming it is free. The cases
 * of one select sit in several queues at once ({@link SelectWaiter}s) and share one <em>selection
 * word</em>: the {@link #state} of their leader (the first case's node). A waker claims a select
 * case by moving that word from {@link #WAITING} to {@link #CLAIMED} with a compare-and-set, so
 * exactly one case wins; wakers that lose discard the case as stale. The winner records itself in
 * the leader's {@link SelectWaiter#chosen}, marks its own node's outcome in {@link #prev} (a plain
 * store) and publishes {@link #DONE} in the leader.
 *
 * <p>Memory ordering: the waker writes {@link #item} (and, in a select, the case node's outcome
 * marker and the leader's {@code chosen}) with plain stores, then the completion with a release
 * store (a plain node's marker, or the leader's {@code DONE}); the waiting party reads it with an
 * acquire (or volatile) load before it reads them. After publishing it the waker never touches
 * the node again (it read {@link #parker} first), so the woken party may reuse the node at once.
 *
 * <p>Layout: 32 bytes with compressed oops (header 12, five references), the whole per-wait cost
 * of a parked fiber beyond its saved frames; plain operations reuse their owner's spare node. The
 * fields only a select needs, the selection word included, live in {@link SelectWaiter}, so a
 * plain wait does not pay for them.
 */
class Waiter implements WakeSource, Withdrawable {
  /** Queued and not yet chosen. */
  static final int WAITING = 0;
  /** A select case's selection word, taken by one waker that is filling in the outcome. */
  static final int CLAIMED = 1;
  /** The outcome is published: the waiting party may go on. */
  static final int DONE = 2;

  private static final VarHandle STATE;
  private static final VarHandle PREV;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      STATE = l.findVarHandle(SelectWaiter.class, "state", int.class);
      PREV = l.findVarHandle(Waiter.class, "prev", Waiter.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The outcome marker of a completed wait that delivered (or was handed the mutex). */
  private static final Waiter DELIVERED = new Waiter();

  /** The outcome marker of a completed wait that did not (the channel was closed). */
  private static final Waiter NOT_DELIVERED = new Waiter();

  /** Links of the circular queue this node is in ({@link WaitList}); null when in none. */
  Waiter next;

  /**
   * The other link while queued; null once dequeued; once completed, the outcome marker ({@link
   * #DELIVERED} or {@link #NOT_DELIVERED}; see the class comment).
   */
  Waiter prev;

  /** Who to wake. */
  Parker parker;

  /** A sender's value until taken; a receiver's value once given; a marker for a mutex waiter. */
  Object item;

  /** The channel, mutex or wait group waited on; for a select case, its {@link Select.Case}. */
  Object owner;


  /** Under the waker's lock: whether a waker may still choose this node. */
  final boolean isLive() {
    return !(this instanceof SelectWaiter) || ((SelectWaiter) this).leader.state == WAITING;
  }

  /**
   * After the completion was seen ({@link #isDone()} on a plain node, the leader's on a select):
   * whether a value was delivered (false when the channel was closed instead); for a mutex
   * waiter, whether it was handed the mutex.
   */
  final boolean ok() {
    return prev == DELIVERED;
  }

  /**
   * Under the lock of the queue {@code w} was just taken from: makes this waker the one that
   * completes it. Always true for a plain wait; for a select case, true for the first claimer only.
   */
  static boolean claim(Waiter w) {
    return !(w instanceof SelectWaiter)
        || STATE.compareAndSet(((SelectWaiter) w).leader, WAITING, CLAIMED);
  }

  /**
   * Publishes the outcome of a claimed waiter and returns whom to unpark. The node must not be
   * touched after this returns.
   */
  static Parker complete(Waiter w, Object item, boolean ok) {
    w.item = item;
    Parker p = w.parker;
    Waiter outcome = ok ? DELIVERED : NOT_DELIVERED;
    if (w instanceof SelectWaiter) {
      w.prev = outcome; // published by the leader's release below
      SelectWaiter leader = ((SelectWaiter) w).leader;
      leader.chosen = (SelectWaiter) w;
      STATE.setRelease(leader, DONE);
    } else {
      PREV.setRelease(w, outcome);
    }
    return p;
  }

  /**
   * Under every lock of a select whose wait failed before it suspended: withdraws the whole select
   * unless a waker already won it. Call on the leader.
   *
   * @return true when withdrawn, false when a case had already been chosen
   */
  final boolean cancelSelect() {
    return STATE.compareAndSet((SelectWaiter) this, WAITING, DONE);
  }

  /** True once the outcome of a plain wait (or, on a leader, of a select) is published. */
  final boolean isDone() {
    if (this instanceof SelectWaiter) {
      return ((SelectWaiter) this).state == DONE;
    }
    Object p = PREV.getAcquire(this);
    return p == DELIVERED || p == NOT_DELIVERED;
  }

  /** Clears everything before the node is waited with again. */
  void reset() {
    next = null;
    prev = null;
    parker = null;
    item = null;
  }

  /**
   * The wait of {@code party} is abandoned (a throwable escaped it): leaves every queue, unless
   * this node is no longer that party's wait. Call on the leader for a select.
   */
  @Override
  public void withdraw(Parker party) {
    Object o = owner;
    if (o instanceof Select.Case) {
      Select.abandon((SelectWaiter) this, party);
    } else if (o instanceof Waitable) {
      ((Waitable) o).abandon(this, party);
    }
  }

  /**
   * For a handler on a wait path: the current fiber's or thread's wait on {@code w} is abandoned.
   * Reads nothing but its argument, so a suspendable method's handler keeps no extra local alive.
   */
  static void abandon(Waiter w) {
    w.withdraw(Parker.current());
  }

  @Override
  public boolean plainThreadInvolved() {
    Object o = owner;
    if (o instanceof Select.Case) {
      return ((Select.Case<?>) o).plainThreadInvolvedInSelect();
    }
    return o instanceof Waitable && ((Waitable) o).plainThreadUsed();
  }

  /** What the party waits for, e.g. {@code receive from Channel[unbuffered]@1b6d3586}. */
  @Override
  public String toString() {
    Object o = owner;
    if (o instanceof Select.Case) {
      return ((Select.Case<?>) o).describeSelect();
    }
    if (o instanceof Waitable) {
      return ((Waitable) o).describeWait(this);
    }
    return "nothing (a recycled waiter)";
  }
}
