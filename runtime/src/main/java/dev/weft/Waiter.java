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
 *   lock; take node; state = WAITING
 *   enqueue; unlock
 *   do park() while state != DONE   .-->  dequeue; claim()
 *                                   |     item/ok = outcome; parker = node.parker
 *                                   '---  state = DONE (release); unlock; parker.unpark()
 *   read item/ok (acquire); recycle node
 * </pre>
 *
 * A plain operation's waiter is in one queue and dequeued once, so claiming it is free. The cases
 * of one select sit in several queues at once ({@link SelectWaiter}s) and share one <em>selection
 * word</em>: the {@link #state} of their leader (the first case's node). A waker claims a select
 * case by moving that word from {@link #WAITING} to {@link #CLAIMED} with a compare-and-set, so
 * exactly one case wins; wakers that lose discard the case as stale. The winner records itself in
 * the leader's {@link SelectWaiter#chosen} and publishes {@link #DONE}.
 *
 * <p>Memory ordering: the waker writes {@link #item} and {@link #ok} (and the leader's {@code chosen}) with
 * plain stores, then {@link #DONE} with a release store; the waiting party reads {@code DONE} with a
 * volatile load before it reads them. After publishing {@code DONE} the waker never touches the
 * node again (it read {@link #parker} first), so the woken party may reuse the node at once. Its
 * {@link #reset()} reads a reference field before it clears it and skips the store when the field
 * is null already (the waker's dequeue unlinks the node, and a receiver empties a sender's item):
 * those loads come after the volatile load of {@code DONE}, or after the owner's lock, so they see
 * the waker's stores, and a skipped store leaves the field exactly as a store would.
 *
 * <p>Layout: 40 bytes with compressed oops, the whole per-wait cost of a parked fiber beyond its
 * saved frames; plain operations reuse their owner's spare node. The fields only a select needs
 * live in {@link SelectWaiter}, so a plain wait does not pay for them.
 */
class Waiter implements WakeSource, Withdrawable {
  /** Queued and not yet chosen. */
  static final int WAITING = 0;
  /** A select case's selection word, taken by one waker that is filling in the outcome. */
  static final int CLAIMED = 1;
  /** The outcome is published: the waiting party may go on. */
  static final int DONE = 2;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Links of the circular queue this node is in ({@link WaitList}); null when in none. */
  Waiter next;

  Waiter prev;

  /** Who to wake. */
  Parker parker;

  /** A sender's value until taken; a receiver's value once given; a marker for a mutex waiter. */
  Object item;

  /** The channel, mutex or wait group waited on; for a select case, its {@link Select.Case}. */
  Object owner;

  /** {@link #WAITING}, {@link #CLAIMED} or {@link #DONE}; in a select, only the leader's counts. */
  volatile int state;

  /** The outcome: a value was delivered (false when the channel was closed instead). */
  boolean ok;

  /** Under the waker's lock: whether a waker may still choose this node. */
  final boolean isLive() {
    return !(this instanceof SelectWaiter) || ((SelectWaiter) this).leader.state == WAITING;
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
    w.ok = ok;
    Parker p = w.parker;
    if (w instanceof SelectWaiter) {
      SelectWaiter leader = ((SelectWaiter) w).leader;
      leader.chosen = (SelectWaiter) w;
      STATE.setRelease(leader, DONE);
    } else {
      STATE.setRelease(w, DONE);
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
    return STATE.compareAndSet(this, WAITING, DONE);
  }

  /** True once the outcome of a plain wait (or, on a leader, of a select) is published. */
  final boolean isDone() {
    return state == DONE;
  }

  /** Clears everything before the node is waited with again. */
  void reset() {
    // Stored only when set: a node taken off its queue by a waker (pollLive) has no links left,
    // and a sender's node was emptied by its receiver; a skipped reference store skips the
    // collector's write barrier, on the path of every park of a channel hand-off. The loads see
    // the waker's stores: they were made before the release of the completion that this party
    // read with acquire (isDone), or under the lock by this party itself.
    if (next != null) {
      next = null;
    }
    if (prev != null) {
      prev = null;
    }
    parker = null;
    if (item != null) {
      item = null;
    }
    ok = false;
    // A plain store: whoever uses the node next gets it through a release (the spare hand-back,
    // or the owner's lock), which orders this store before theirs.
    STATE.set(this, WAITING);
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
