package dev.weft;

import dev.weft.core.Fiber;
import dev.weft.core.Parker;
import dev.weft.core.WakeSource;
import dev.weft.frame.FrameStack;
import dev.weft.frame.UninstrumentedFrameError;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Waits on several channel operations at once and performs exactly one: Go's {@code select}.
 *
 * <pre>{@code
 * var msg = Select.receive(messages);
 * var quit = Select.receive(done);
 * for (;;) {
 *   switch (Select.select(msg, quit)) {
 *     case 0 -> handle(msg.value());   // msg.ok() is false once messages is closed
 *     case 1 -> { return; }
 *   }
 * }
 * }</pre>
 *
 * <h2>Algorithm (after Go's select.go)</h2>
 *
 * <ol>
 *   <li>Lock every channel of the select in one global order ({@link LockOrder#compare}, total
 *       over live channels), each channel once. Two selects over the same channels in opposite order
 *       cannot deadlock, since both lock them in the same order.
 *   <li>Poll: find the cases that can proceed now and pick one uniformly at random (reservoir
 *       sampling in one pass, with the thread's {@link ThreadLocalRandom}: no shared state, no
 *       allocation), so no case starves another. Perform it, release the locks, wake the partner,
 *       done. {@link #trySelect} stops here, returning -1 when no case is ready.
 *   <li>Otherwise enqueue one waiter node per case on its channel, all sharing one selection word
 *       (the first case's node, see {@link Waiter}), release the locks, and park.
 *   <li>A partner that finds one of the nodes claims the selection word by compare-and-set, so
 *       exactly one case wins even when partners on several channels race; losers discard the node
 *       they found and move on. The winner completes the case and wakes the select.
 *   <li>Woken, the select locks all its channels again, takes its remaining nodes out of their
 *       queues, and returns the winning index.
 * </ol>
 *
 * <h2>Cases</h2>
 *
 * A {@link Case} is created by {@link #receive} or {@link #send}, filled in by the select that
 * chooses it, and may be used again by later selects of the same fiber (or thread); it must not be
 * shared between fibers. Each case keeps its waiter node once it has waited, so a loop that
 * reuses its cases allocates nothing per select.
 */
public final class Select {
  private Select() {}

  /** What a fiber in {@code select()} with no cases waits on: nothing, forever. */
  private static final WakeSource FOREVER =
      new WakeSource() {
        @Override
        public boolean plainThreadInvolved() {
          return false;
        }

        @Override
        public String toString() {
          return "select with no cases (waits forever)";
        }
      };

  /**
   * A case that receives from {@code ch}. Once chosen, {@link Case#value()} is the value received
   * and {@link Case#ok()} is false when the channel was closed (and drained) instead.
   *
   * <pre>{@code
   * var in = Select.receive(input);
   * }</pre>
   *
   * @param <T> the channel's value type
   * @param ch the channel to receive from
   * @return a new case
   * @throws NullPointerException when {@code ch} is null
   */
  public static <T> Case<T> receive(Channel<T> ch) {
    Objects.requireNonNull(ch, "Select.receive needs a channel");
    return new Case<>(ch, false, null);
  }

  /**
   * A case that sends {@code value} on {@code ch}. If it is chosen while the channel is closed,
   * the select throws {@link ChannelClosedException}, as a send would.
   *
   * <pre>{@code
   * var out = Select.send(output, result);
   * }</pre>
   *
   * @param <T> the channel's value type
   * @param ch the channel to send on
   * @param value the value to send, never null
   * @return a new case
   * @throws NullPointerException when {@code ch} or {@code value} is null
   */
  public static <T> Case<T> send(Channel<T> ch, T value) {
    Objects.requireNonNull(ch, "Select.send needs a channel");
    Objects.requireNonNull(
        value, "Select.send needs a non-null value: channels carry non-null values");
    return new Case<>(ch, true, value);
  }

  /**
   * Waits until one of the cases can proceed, performs it and returns its index. When several can,
   * one is chosen uniformly at random. With no cases, waits forever (Go's {@code select {}}).
   *
   * <pre>{@code
   * var job = Select.receive(jobs);
   * var tick = Select.receive(Weft.after(Duration.ofSeconds(1)));
   * if (Select.select(job, tick) == 0) run(job.value());
   * }</pre>
   *
   * @param cases the cases, each at most once
   * @return the index of the case performed
   * @throws ChannelClosedException when the chosen case is a send on a closed channel
   * @throws IllegalArgumentException when a case appears twice (or is in use by another select)
   * @throws NullPointerException when {@code cases} or one of them is null
   */
  @Suspendable
  public static int select(Case<?>... cases) {
    Objects.requireNonNull(cases, "select needs an array of cases");
    if (cases.length == 0) {
      Parker forever = Parker.current();
      for (; ; ) {
        forever.park(FOREVER);
      }
    }
    begin(cases);
    LockOrder.lockAll(cases);
    int pick = pollLocked(cases);
    if (pick >= 0) {
      return finishNow(cases, pick);
    }
    // Nothing is ready: wait on every case at once, the first case's node holding the selection.
    // Asked before any node is queued, so that a frame that cannot unwind fails the select with
    // nothing to take back; called here, in the method that suspends, to see the same arming.
    boolean unwind;
    try {
      unwind = FrameStack.prepareSuspend();
    } catch (UninstrumentedFrameError e) {
      LockOrder.unlockAll(cases);
      end(cases);
      throw e;
    }
    SelectWaiter leader = cases[0].node();
    cases[0].waitingWith = cases;
    if (!unwind) {
      return awaitBlocking(cases, leader);
    }
    // The fiber's wait, shaped as Channel's (see "How a fiber waits" there): committed under the
    // locks, so no atomic instruction; nothing live across the suspensions (the fiber's blocker
    // is the leader, whose case knows every case), so this frame saves no local.
    Fiber f = Fiber.current();
    for (Case<?> c : cases) {
      c.enqueue(leader, f);
    }
    boolean committed = f.commitParkLocked(leader);
    LockOrder.unlockAll(cases);
    if (committed) {
      FrameStack.suspend();
      f = Fiber.current();
      leader = (SelectWaiter) f.blocker();
    }
    // Woken by an unpark that was not ours, or a pending permit kept us from committing: wait on,
    // now racing with the waker (Fiber.commitPark).
    while (!leader.isDone()) {
      if (f.commitPark(leader)) {
        FrameStack.suspend();
      }
      f = Fiber.current();
      leader = (SelectWaiter) f.blocker();
    }
    return finishWait(((Case<?>) leader.owner).waitingWith, leader);
  }

  /**
   * The wait of a plain thread, or of a fiber pinned by a monitor on its path: blocks the thread.
   * Called with every lock held and nothing queued; releases the locks.
   */
  private static int awaitBlocking(Case<?>[] cases, SelectWaiter leader) {
    Parker parker = Parker.current();
    for (Case<?> c : cases) {
      c.enqueue(leader, parker);
    }
    LockOrder.unlockAll(cases);
    try {
      // At least once, to consume the winner's unpark even when already chosen.
      do {
        parker.parkThread(leader);
      } while (!leader.isDone());
    } catch (Throwable t) {
      // Anything escaping the wait (a stack overflow, say) ends the select for good.
      Waiter.abandon(leader);
      throw t;
    }
    return finishWait(cases, leader);
  }

  /**
   * As {@link #select(Case...)}, with the cases in a list.
   *
   * <pre>{@code
   * List<Select.Case<Result>> cases = workers.stream().map(Select::receive).toList();
   * int first = Select.select(cases);
   * }</pre>
   *
   * @param cases the cases, each at most once
   * @return the index in {@code cases} of the case performed
   * @throws ChannelClosedException when the chosen case is a send on a closed channel
   * @throws IllegalArgumentException when a case appears twice (or is in use by another select)
   * @throws NullPointerException when {@code cases} or one of them is null
   */
  @Suspendable
  public static int select(List<? extends Case<?>> cases) {
    Objects.requireNonNull(cases, "select needs a list of cases");
    return select(cases.toArray(new Case<?>[0]));
  }

  /**
   * Performs one of the cases that can proceed now, chosen uniformly at random, and returns its
   * index; returns -1 at once when none can (Go's {@code select} with a {@code default} branch).
   *
   * <pre>{@code
   * var in = Select.receive(input);
   * if (Select.trySelect(in) < 0) System.out.println("nothing yet");
   * }</pre>
   *
   * @param cases the cases, each at most once
   * @return the index of the case performed, or -1
   * @throws ChannelClosedException when the chosen case is a send on a closed channel
   * @throws IllegalArgumentException when a case appears twice (or is in use by another select)
   * @throws NullPointerException when {@code cases} or one of them is null
   */
  public static int trySelect(Case<?>... cases) {
    Objects.requireNonNull(cases, "trySelect needs an array of cases");
    if (cases.length == 0) {
      return -1;
    }
    begin(cases);
    LockOrder.lockAll(cases);
    int pick = pollLocked(cases);
    if (pick >= 0) {
      return finishNow(cases, pick);
    }
    LockOrder.unlockAll(cases);
    end(cases);
    return -1;
  }

  // ---------------------------------------------------------------------------------------------

  /** Checks the cases and marks them in use; clears their previous outcome. */
  private static void begin(Case<?>[] cases) {
    for (int i = 0; i < cases.length; i++) {
      Case<?> c = cases[i];
      if (c == null || c.busy) {
        for (int j = 0; j < i; j++) {
          cases[j].busy = false;
        }
        if (c == null) {
          throw new NullPointerException("select case " + i + " is null");
        }
        throw new IllegalArgumentException(
            "select case "
                + i
                + " ("
                + c
                + ") is already part of this or another select in progress: pass each case"
                + " once, and do not share cases between fibers");
      }
      c.busy = true;
      c.index = i;
      c.value = null;
      c.ok = false;
      c.channel.noteCaller();
    }
  }

  /**
   * Under every lock: picks a case that can proceed, uniformly at random, and performs it.
   *
   * @return its index, or -1 when none can proceed
   */
  private static int pollLocked(Case<?>[] cases) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (; ; ) {
      int pick = -1;
      int ready = 0;
      for (int i = 0; i < cases.length; i++) {
        // Reservoir sampling: the k-th ready case replaces the pick with probability 1/k.
        if (cases[i].canProceed() && random.nextInt(++ready) == 0) {
          pick = i;
        }
      }
      // A case can stop being ready between the poll and the action only if its partner was a
      // select that another channel won meanwhile; the poll then discards that partner.
      if (pick < 0 || cases[pick].proceed()) {
        return pick;
      }
    }
  }

  /** Ends a select that performed case {@code pick} without waiting. Holds every lock. */
  private static int finishNow(Case<?>[] cases, int pick) {
    Case<?> c = cases[pick];
    Parker partner = c.partner;
    c.partner = null;
    LockOrder.unlockAll(cases);
    if (partner != null) {
      partner.unpark();
    }
    end(cases);
    c.throwIfSendFailed();
    return pick;
  }

  /** Ends a select that waited: withdraws the losing nodes and reports the winner. */
  private static int finishWait(Case<?>[] cases, SelectWaiter leader) {
    LockOrder.lockAll(cases);
    // Under every lock no waker is half-way through claiming: the select is won (DONE).
    for (Case<?> c : cases) {
      c.channel.dequeue(c.node, c.sending);
    }
    LockOrder.unlockAll(cases);
    SelectWaiter won = leader.chosen;
    Case<?> c = (Case<?>) won.owner;
    c.value = won.item;
    c.ok = won.ok;
    end(cases);
    c.throwIfSendFailed();
    return c.index;
  }

  /**
   * The select whose leader is {@code leader} is abandoned by {@code party} (a throwable escaped
   * its wait): withdraws every case from its channel and releases the cases. Nothing when the
   * select is over or belongs to another party.
   */
  static void abandon(SelectWaiter leader, Parker party) {
    Case<?>[] cases = ((Case<?>) leader.owner).waitingWith;
    if (cases == null || party == null || leader.parker != party || leader.leader != leader) {
      return;
    }
    LockOrder.lockAll(cases);
    boolean ours = leader.parker == party && ((Case<?>) leader.owner).waitingWith == cases;
    if (ours) {
      leader.cancelSelect(); // no waker may choose a case any more (a no-op when one already has)
      for (Case<?> c : cases) {
        c.channel.dequeue(c.node, c.sending);
      }
    }
    LockOrder.unlockAll(cases);
    if (ours) {
      end(cases);
    }
  }

  /** Resets every case's node for the next select and releases the cases. */
  private static void end(Case<?>[] cases) {
    cases[0].waitingWith = null;
    for (Case<?> c : cases) {
      if (c.node != null) {
        c.node.reset();
      }
      c.busy = false;
    }
  }

  /**
   * One operation of a select: a receive from, or a send to, one channel; filled in by the select
   * that performs it.
   *
   * <pre>{@code
   * var in = Select.receive(input);
   * Select.select(in, Select.receive(quit));
   * if (in.ok()) process(in.value());
   * }</pre>
   *
   * @param <T> the channel's value type
   */
  public static final class Case<T> {
    final Channel<T> channel;
    final boolean sending;
    private final T sendValue;

    /** The node this case waits with, created the first time it waits and kept for reuse. */
    SelectWaiter node;

    private Object value;
    private boolean ok;

    /** Set by {@link #proceed()} when it completed a waiting party: whom to wake after the locks. */
    private Parker partner;

    /** Position in the current select's cases. */
    private int index;

    /** Part of a select in progress. */
    private boolean busy;

    /** In the first case, while its select waits: every case, for dumps. */
    private Case<?>[] waitingWith;

    /**
     * In the first case of a select of many cases: the cases {@link #lockOrder} is for, and their
     * distinct channels in lock order (see {@link LockOrder}); reused while the cases stay the same.
     */
    Case<?>[] lockOrderCases;

    Channel<?>[] lockOrder;

    private Case(Channel<T> channel, boolean sending, T sendValue) {
      this.channel = channel;
      this.sending = sending;
      this.sendValue = sendValue;
    }

    /**
     * The value received when this receive case was chosen; null when the channel was closed, for
     * a send case, or when the case was not chosen by the last select.
     *
     * <pre>{@code
     * if (Select.select(in, quit) == 0 && in.ok()) use(in.value());
     * }</pre>
     *
     * @return the value received, or null
     */
    @SuppressWarnings("unchecked")
    public T value() {
      return (T) value;
    }

    /**
     * Whether this case, when chosen, moved a value: false for a receive that found the channel
     * closed and drained, and for a case not chosen by the last select.
     *
     * <pre>{@code
     * if (!in.ok()) return; // input closed
     * }</pre>
     *
     * @return true when a value was received or sent
     */
    public boolean ok() {
      return ok;
    }

    /** For example {@code receive from Channel[unbuffered]@1b6d3586}. */
    @Override
    public String toString() {
      return (sending ? "send to " : "receive from ") + channel;
    }

    SelectWaiter node() {
      SelectWaiter w = node;
      if (w == null) {
        w = new SelectWaiter(this);
        node = w;
      }
      return w;
    }

    /** Under the channel's lock: whether this case could be performed now. */
    boolean canProceed() {
      return sending ? channel.canSend() : channel.canReceive();
    }

    /** Under the channel's lock: performs the case if it can. */
    boolean proceed() {
      if (sending) {
        if (channel.closedLocked()) {
          ok = false;
          return true;
        }
        Waiter r = channel.pollLive(false);
        if (r != null) {
          partner = Waiter.complete(r, sendValue, true);
          ok = true;
          return true;
        }
        ok = channel.offer(sendValue);
        return ok;
      }
      Waiter s = channel.pollLive(true);
      if (s != null) {
        value = channel.takeSent(s);
        partner = Waiter.complete(s, null, true);
        ok = true;
        return true;
      }
      Object v = channel.poll();
      if (v != null) {
        value = v;
        ok = true;
        return true;
      }
      if (channel.closedLocked()) {
        ok = false;
        return true;
      }
      return false;
    }

    /** Under the channel's lock: queues this case's node, sharing {@code leader}'s selection. */
    void enqueue(SelectWaiter leader, Parker parker) {
      SelectWaiter w = node();
      w.leader = leader;
      w.parker = parker;
      w.item = sending ? sendValue : null;
      channel.enqueue(w, sending);
    }

    void throwIfSendFailed() {
      if (sending && !ok) {
        throw new ChannelClosedException(
            "select chose a send to a closed channel: remove send cases on channels that may be"
                + " closed, or close only after the last send");
      }
    }

    String describeSelect() {
      Case<?>[] all = waitingWith;
      if (all == null) {
        return "select: " + this;
      }
      StringBuilder s = new StringBuilder("select on ");
      for (int i = 0; i < all.length; i++) {
        s.append(i == 0 ? "" : ", ").append(all[i]);
      }
      return s.toString();
    }

    boolean plainThreadInvolvedInSelect() {
      Case<?>[] all = waitingWith;
      if (all == null) {
        return channel.plainThreadUsed();
      }
      for (Case<?> c : all) {
        if (c.channel.plainThreadUsed()) {
          return true;
        }
      }
      return false;
    }
  }
}
