package dev.weft;

import dev.weft.core.Fiber;
import dev.weft.core.Parker;
import dev.weft.frame.FrameStack;
import dev.weft.frame.UninstrumentedFrameError;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A typed conduit between fibers (and plain threads): Go's {@code chan T}.
 *
 * <p>An unbuffered channel ({@link #make()}) is a rendezvous: {@link #send} waits for a receiver
 * and {@link #receive} for a sender. A buffered channel ({@link #make(int)}) lets sends proceed
 * while its buffer has room and receives while it holds values. A fiber that has to wait suspends
 * and frees its worker thread; a plain thread blocks. Values are never null: {@link #receive}
 * returns null only once the channel is closed and drained.
 *
 * <pre>{@code
 * Channel<Integer> squares = Channel.make();
 * Weft.go(() -> {
 *   for (int i = 1; i <= 3; i++) squares.send(i * i);
 *   squares.close();
 * });
 * squares.forEach(System.out::println); // 1 4 9
 * }</pre>
 *
 * <h2>Algorithm (after Go's chan.go)</h2>
 *
 * A channel is a small lock ({@link Waitable}), a ring buffer of {@link #cap()} slots (none when
 * unbuffered), a queue of waiting receivers {@code recvq} and one of waiting senders {@code sendq}.
 * Each waiting party is represented by a {@link Waiter} node. Every operation takes the lock,
 * and:
 *
 * <ul>
 *   <li><b>send</b>: on a closed channel, throws. If a receiver waits, hands the value straight to
 *       it, marks it done and wakes it: it never touches the buffer (a waiting receiver implies an
 *       empty buffer). Else if the buffer has room, appends. Else enqueues itself on {@code sendq}
 *       with the value, releases the lock and parks until a receiver (or close) completes it.
 *   <li><b>receive</b>: if a sender waits, takes its value: directly when unbuffered; when
 *       buffered (the buffer is then full), takes the buffer's head and moves the sender's value
 *       to the tail, which keeps FIFO order. Else if the buffer holds values, takes the head. Else
 *       if closed, returns null. Else enqueues itself on {@code recvq} and parks.
 *   <li><b>close</b>: marks the channel closed and completes every waiter: receivers with null,
 *       senders with "not delivered", which makes them throw. Buffered values stay for receivers
 *       to drain.
 * </ul>
 *
 * The wake-up happens after the lock is released, by the operation that completed the waiter. On an
 * unbuffered channel this is the ping-pong fast path: the sender writes the value into the
 * receiver's node and unparks it, and the scheduler runs the receiver next on the same worker.
 *
 * <p>Invariants, under the lock (ignoring select cases already won elsewhere, which any operation
 * discards from the head of a queue it looks at):
 *
 * <ul>
 *   <li>{@code recvq} non-empty implies the buffer is empty;
 *   <li>{@code sendq} non-empty implies the buffer is full (always, for an unbuffered channel);
 *   <li>both queues are non-empty only when one select waits to send and to receive on the same
 *       unbuffered channel;
 *   <li>a closed channel has no waiting party.
 * </ul>
 *
 * <h2>Without the lock</h2>
 *
 * As in Go's {@code chansend} and {@code chanrecv}, the non-blocking operations of a buffered
 * channel answer "not now" without the lock when a glance shows they would fail: {@link #trySend}
 * on an open, full channel and {@link #tryReceive} on an open, empty one. A select with a default
 * branch polling a busy channel then stays off its lock. The glance reads two words, the buffer's
 * count (written only under the lock, with opaque stores, so every value read is one the count
 * really had) and {@code closed} (volatile); the answer is right if there was one instant during
 * the call when both held:
 *
 * <ul>
 *   <li>{@code trySend} reads {@code closed} (volatile, so the later read of the count cannot move
 *       before it), then a full count. A channel never reopens, and once closed its buffer only
 *       drains (sends throw; waiting senders are failed, not buffered); so a full count read after
 *       a close was full at the close too. Either way there was an instant of open and full, and
 *       then no receiver waited either ({@code recvq} non-empty implies an empty buffer).
 *   <li>{@code tryReceive} reads an empty count with acquire (so the read of {@code closed} cannot
 *       move before it), then {@code closed} false: open then, so open at the earlier instant of
 *       the empty count too, and no sender waited ({@code sendq} non-empty implies a full buffer).
 *       A closed channel takes the lock, which tells "drained" from "not yet".
 * </ul>
 *
 * An unbuffered channel has no such glance: whether a partner waits is in its queues, plain fields
 * guarded by the lock.
 *
 * <h2>Select</h2>
 *
 * {@link Select} uses the same queues: a select that cannot proceed enqueues one node per case,
 * all sharing one selection word that wakers claim by compare-and-set ({@link Waiter#claim}), so a
 * select is completed once and a waker that loses the race simply moves on to the next waiter. To
 * lock several channels without deadlock, a select locks them in the order of {@link
 * LockOrder#compare}: by identity hash, which costs the channel no field.
 *
 * <h2>How a fiber waits</h2>
 *
 * A fiber's wait is written out in {@link #send} and {@link #receive} themselves, not delegated to
 * {@link Parker#park}: every suspendable frame between the user's code and {@link
 * FrameStack#suspend()} is saved and restored on every switch, and its live locals stay on the
 * heap for as long as the fiber is parked. So the wait is shaped to cost one frame with nothing in
 * it:
 *
 * <ol>
 *   <li>{@link FrameStack#prepareSuspend()} is asked first, under the lock, before the waiter is
 *       queued: a frame on the path that cannot unwind fails the operation with nothing to take
 *       back, and a pinned fiber or a plain thread blocks its thread instead ({@code
 *       awaitBlocking});
 *   <li>the park is committed with plain stores while the lock is still held ({@link
 *       Fiber#commitParkLocked}): every waker meant for this wait must take the lock to find the
 *       waiter, so it sees the fiber PARKED; the release of the lock publishes it;
 *   <li>the fiber suspends; nothing is live across that call: after the resume, the waiter is the
 *       fiber's {@link Fiber#blocker()}, and the channel is the waiter's owner. The frame saves
 *       its call site and nothing else;
 *   <li>a wake-up that was not this wait's (an unpark left over from an earlier wait) is told
 *       apart by the waiter's state, and the fiber waits again through {@link Fiber#commitPark},
 *       which races with the waker by compare-and-set.
 * </ol>
 *
 * <h2>Cost</h2>
 *
 * An operation that does not wait allocates nothing. One that waits reuses the channel's spare
 * waiter node (see {@link Waitable}); in steady state (ping-pong, pipelines) nothing is allocated
 * per message. The lock is held for a handful of field accesses and never across a park. A
 * one-way message between two fibers on one worker (a ping-pong) costs six atomic instructions:
 * the lock and the release of the send and of the receive that parks (the release is a swap, so
 * that no sleeping waiter is missed: see {@link Waitable}), the unpark of the receiver, and the
 * worker's take of its runNext slot. An unbuffered channel is 40 bytes (compressed references):
 * the lock word, the spare waiter, the plain-thread record, the buffer (null), the two queue
 * heads and the closed flag. Nothing else has a place here: select's lock order is the identity
 * hash, and the party an operation wakes after the lock is held in a local.
 *
 * @param <T> the type of the values carried
 */
public final class Channel<T> extends Waitable {
  private static final String NULL_VALUE =
      "channels carry non-null values (receive() returns null to mean closed); send a sentinel"
          + " object or an Optional instead";

  /**
   * The buffer, or null for an unbuffered channel. Kept in an object of its own so that an
   * unbuffered channel, the one a pipeline stage parks on, is 48 bytes instead of 56: a buffered
   * channel pays one more small object and one dependent load per operation.
   */
  private final Ring buffer;

  /** Waiting receivers and senders ({@link WaitList} heads). Guarded by the lock. */
  private Waiter recvq;

  private Waiter sendq;

  /** Written under the lock; volatile for {@link #isClosed()}. */
  private volatile boolean closed;

  private Channel(int capacity) {
    buffer = capacity == 0 ? null : new Ring(capacity);
  }

  private Channel(Ring buffer) {
    this.buffer = buffer;
  }

  /**
   * A buffered channel whose {@link #close()} then runs {@code onClose}, once, after the channel is
   * closed and its waiters woken: {@link Weft#tick}'s, whose close stops its timer. The action is
   * kept in the buffer's object, so other channels pay nothing for it.
   */
  static <T> Channel<T> makeClosing(int capacity, Runnable onClose) {
    if (capacity < 1 || onClose == null) {
      throw new IllegalArgumentException("a closing channel is buffered and has an action");
    }
    return new Channel<>(new ClosingRing(capacity, onClose));
  }

  /** The action given to {@link #makeClosing}, or null. */
  Runnable closeAction() {
    Ring b = buffer;
    return b instanceof ClosingRing ? ((ClosingRing) b).onClose : null;
  }

  /**
   * Creates an unbuffered channel: every send waits for a receiver, and every receive for a
   * sender.
   *
   * <pre>{@code
   * Channel<String> done = Channel.make();
   * }</pre>
   *
   * @param <T> the type of the values carried
   * @return a new, open channel
   */
  public static <T> Channel<T> make() {
    return new Channel<>(0);
  }

  /**
   * Creates a channel that buffers up to {@code capacity} values; 0 makes it unbuffered.
   *
   * <pre>{@code
   * Channel<Job> jobs = Channel.make(100);
   * }</pre>
   *
   * @param <T> the type of the values carried
   * @param capacity the number of values the channel holds without a receiver
   * @return a new, open channel
   * @throws IllegalArgumentException when {@code capacity} is negative
   */
  public static <T> Channel<T> make(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException(
          "channel capacity must be 0 (unbuffered) or more, was " + capacity);
    }
    return new Channel<>(capacity);
  }

  // ---------------------------------------------------------------------------------------------
  // Blocking operations.

  /**
   * Sends a value: hands it to a waiting receiver, or buffers it, or waits until a receiver takes
   * it. A fiber suspends while it waits; a plain thread blocks.
   *
   * <pre>{@code
   * results.send(compute());
   * }</pre>
   *
   * @param value the value, never null
   * @throws NullPointerException when {@code value} is null
   * @throws ChannelClosedException when the channel is closed, before or while waiting
   */
  @Suspendable
  public void send(T value) {
    if (value == null) {
      throw new NullPointerException(NULL_VALUE);
    }
    noteCaller();
    spinLock();
    if (closed) {
      spinUnlock();
      throw sendOnClosed();
    }
    Waiter r = pollLive(false);
    if (r != null) {
      Parker receiver = Waiter.complete(r, value, true);
      spinUnlock();
      receiver.unpark();
      return;
    }
    if (offer(value)) {
      spinUnlock();
      return;
    }
    // Asked before the waiter is queued: a frame that cannot unwind fails the send with nothing
    // to take back. Called here, in the method that suspends, so that it sees the same arming.
    boolean unwind;
    try {
      unwind = FrameStack.prepareSuspend();
    } catch (UninstrumentedFrameError e) {
      spinUnlock();
      throw e;
    }
    Waiter w = takeWaiter();
    w.item = value;
    sendq = WaitList.add(sendq, w);
    if (unwind) {
      // The fiber's wait, as in receive() (see "How a fiber waits" above). Written out twice
      // because a shared helper would be one more frame to save and restore on every switch.
      Fiber f = Fiber.current();
      w.parker = f;
      boolean committed = f.commitParkLocked(w);
      spinUnlock();
      if (committed) {
        FrameStack.suspend();
        f = Fiber.current();
        w = (Waiter) f.blocker();
      }
      // Woken by an unpark that was not ours, or a pending permit kept us from committing: wait
      // on, now racing with our waker (Fiber.commitPark).
      while (!w.isDone()) {
        if (f.commitPark(w)) {
          FrameStack.suspend();
        }
        f = Fiber.current();
        w = (Waiter) f.blocker();
      }
    } else {
      awaitBlocking(w);
    }
    if (!takeOutcome(w)) {
      throw new ChannelClosedException(
          "the channel was closed while a send waited on it: close a channel only when no more"
              + " sends can happen");
    }
  }

  /**
   * Receives a value: takes one from a waiting sender or the buffer, or waits until one is sent.
   * Returns null once the channel is closed and every buffered value has been received.
   *
   * <pre>{@code
   * for (String line; (line = lines.receive()) != null; ) {
   *   System.out.println(line);
   * }
   * }</pre>
   *
   * @return the value, or null when the channel is closed and drained
   */
  @Suspendable
  @SuppressWarnings("unchecked")
  public T receive() {
    noteCaller();
    spinLock();
    Waiter s = pollLive(true);
    if (s != null) {
      Object v = takeSent(s);
      Parker sender = Waiter.complete(s, null, true);
      spinUnlock();
      sender.unpark();
      return (T) v;
    }
    Object v = poll();
    if (v != null || closed) {
      spinUnlock();
      return (T) v;
    }
    boolean unwind;
    try {
      unwind = FrameStack.prepareSuspend();
    } catch (UninstrumentedFrameError e) {
      spinUnlock();
      throw e;
    }
    Waiter w = takeWaiter();
    recvq = WaitList.add(recvq, w);
    if (unwind) {
      // The fiber's wait, written out here rather than in Parker.park: one frame fewer to save and
      // restore on every switch. Nothing is live across the suspensions (the fiber's blocker
      // gives the waiter back, and the rest is static), so this frame saves no local at all. The
      // park is committed under the lock, before the waiter can be seen: no atomic instruction
      // (see Fiber.commitParkLocked).
      Fiber f = Fiber.current();
      w.parker = f;
      boolean committed = f.commitParkLocked(w);
      spinUnlock();
      if (committed) {
        FrameStack.suspend();
        f = Fiber.current();
        w = (Waiter) f.blocker();
      }
      // Woken by an unpark that was not ours, or a pending permit kept us from committing: wait
      // on, now racing with our waker (Fiber.commitPark).
      while (!w.isDone()) {
        if (f.commitPark(w)) {
          FrameStack.suspend();
        }
        f = Fiber.current();
        w = (Waiter) f.blocker();
      }
    } else {
      awaitBlocking(w);
    }
    return (T) takeItem(w);
  }

  /**
   * Receives every value until the channel is closed and drained, as Go's {@code for v := range
   * ch}. An exception thrown by {@code body} ends the loop and propagates unchanged.
   *
   * <pre>{@code
   * urls.forEach(url -> results.send(fetch(url)));
   * }</pre>
   *
   * @param body called with each value, in order; may suspend
   * @throws Exception whatever {@code body} throws
   */
  @Suspendable
  public void forEach(SuspendableConsumer<? super T> body) throws Exception {
    Objects.requireNonNull(body, "forEach needs a body to call with each value");
    for (T v = receive(); v != null; v = receive()) {
      body.accept(v);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Non-blocking operations.

  /**
   * Sends a value if that can be done without waiting: to a waiting receiver or into the buffer.
   *
   * <pre>{@code
   * if (!events.trySend(e)) dropped++;
   * }</pre>
   *
   * @param value the value, never null
   * @return true when sent, false when it would have had to wait
   * @throws NullPointerException when {@code value} is null
   * @throws ChannelClosedException when the channel is closed
   */
  public boolean trySend(T value) {
    if (value == null) {
      throw new NullPointerException(NULL_VALUE);
    }
    noteCaller();
    Ring b = buffer;
    if (b != null && !closed && b.count() == b.slots.length) {
      return false; // open and full, without the lock: see "Without the lock" above
    }
    spinLock();
    if (closed) {
      spinUnlock();
      throw sendOnClosed();
    }
    Waiter r = pollLive(false);
    if (r != null) {
      Parker receiver = Waiter.complete(r, value, true);
      spinUnlock();
      receiver.unpark();
      return true;
    }
    boolean sent = offer(value);
    spinUnlock();
    return sent;
  }

  /**
   * Receives a value if one is ready: from a waiting sender or the buffer.
   *
   * <pre>{@code
   * Job j = jobs.tryReceive();
   * if (j == null && jobs.isClosed()) return;
   * }</pre>
   *
   * @return the value, or null when none is ready (or the channel is closed and drained)
   */
  @SuppressWarnings("unchecked")
  public T tryReceive() {
    noteCaller();
    Ring b = buffer;
    if (b != null && b.countAcquire() == 0 && !closed) {
      return null; // empty and open, without the lock: see "Without the lock" above
    }
    spinLock();
    Waiter s = pollLive(true);
    if (s != null) {
      Object v = takeSent(s);
      Parker sender = Waiter.complete(s, null, true);
      spinUnlock();
      sender.unpark();
      return (T) v;
    }
    Object v = poll();
    spinUnlock();
    return (T) v;
  }

  /**
   * Closes the channel: no more values can be sent. Receivers get the buffered values, then null;
   * every waiting receiver is woken with null and every waiting sender with a {@link
   * ChannelClosedException}.
   *
   * <pre>{@code
   * for (Job j : batch) jobs.send(j);
   * jobs.close(); // workers' forEach loops end once the buffer is drained
   * }</pre>
   *
   * @throws ChannelClosedException when the channel is already closed
   */
  public void close() {
    noteCaller();
    spinLock();
    if (closed) {
      spinUnlock();
      throw new ChannelClosedException(
          "close of a closed channel: close a channel once, from the sending side");
    }
    closed = true;
    List<Parker> woken = null;
    for (Waiter w; (w = pollLive(false)) != null; ) {
      woken = add(woken, Waiter.complete(w, null, false));
    }
    for (Waiter w; (w = pollLive(true)) != null; ) {
      woken = add(woken, Waiter.complete(w, null, false));
    }
    spinUnlock();
    if (woken != null) {
      for (Parker p : woken) {
        p.unpark();
      }
    }
    Ring b = buffer;
    if (b instanceof ClosingRing) {
      ((ClosingRing) b).onClose.run();
    }
  }

  private static List<Parker> add(List<Parker> list, Parker p) {
    List<Parker> l = list != null ? list : new ArrayList<>();
    l.add(p);
    return l;
  }

  /**
   * True once {@link #close()} has been called.
   *
   * <pre>{@code
   * if (ch.isClosed()) return;
   * }</pre>
   *
   * @return whether the channel is closed
   */
  public boolean isClosed() {
    return closed;
  }

  /**
   * The number of values in the buffer now (always 0 for an unbuffered channel). A snapshot: it
   * may have changed by the time the caller looks at it.
   *
   * <pre>{@code
   * System.out.println(queue.len() + " of " + queue.cap() + " slots used");
   * }</pre>
   *
   * @return the number of buffered values
   */
  public int len() {
    Ring b = buffer;
    return b == null ? 0 : b.count();
  }

  /**
   * The capacity given to {@link #make(int)}; 0 for an unbuffered channel.
   *
   * <pre>{@code
   * boolean rendezvous = ch.cap() == 0;
   * }</pre>
   *
   * @return the buffer's capacity
   */
  public int cap() {
    Ring b = buffer;
    return b == null ? 0 : b.slots.length;
  }

  /** For example {@code Channel[cap=4, len=2, closed]@1b6d3586}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Channel[");
    if (buffer == null) {
      s.append("unbuffered");
    } else {
      s.append("cap=").append(cap()).append(", len=").append(len());
    }
    if (closed) {
      s.append(", closed");
    }
    return s.append("]@").append(Integer.toHexString(System.identityHashCode(this))).toString();
  }

  @Override
  String describeWait(Waiter w) {
    // A waiting sender's node holds its value until a receiver takes it; a receiver's is empty.
    return (w.item != null ? "send to " : "receive from ") + this;
  }

  // ---------------------------------------------------------------------------------------------
  // Under the lock: the steps shared by the operations above and by Select.

  // The party an operation completes is woken after the lock is released, by the operation
  // itself: it reads whom to wake from Waiter.complete into a local, rather than through a field
  // of the channel (4 bytes of every channel, and with them an unbuffered channel is 48 bytes
  // instead of 40).

  /**
   * The value a receiver gets from {@code s}, a waiting sender just taken by {@link #pollLive}:
   * unbuffered, straight from the sender; buffered (and so full), the buffer's head, the sender's
   * value going to the tail. The caller then completes {@code s}.
   */
  Object takeSent(Waiter s) {
    Ring b = buffer;
    return b == null ? s.item : b.exchangeHead(s.item);
  }

  /** The buffer's oldest value; null when there is none (or no buffer). */
  Object poll() {
    Ring b = buffer;
    return b == null ? null : b.poll();
  }

  /** Appends {@code v} to the buffer; false when full (or no buffer). The channel is open. */
  boolean offer(Object v) {
    Ring b = buffer;
    return b != null && b.offer(v);
  }

  /** Whether a receive (or a receive case) could proceed now. */
  boolean canReceive() {
    Ring b = buffer;
    return (b != null && b.count > 0) || closed || hasLive(true);
  }

  /** Whether a send (or a send case) could proceed now, a send that would throw included. */
  boolean canSend() {
    Ring b = buffer;
    return closed || (b != null && b.count < b.slots.length) || hasLive(false);
  }

  /** Closed, read under the lock. */
  boolean closedLocked() {
    return closed;
  }

  /** Puts a select case's node in the queue of its direction. */
  void enqueue(Waiter w, boolean sending) {
    if (sending) {
      sendq = WaitList.add(sendq, w);
    } else {
      recvq = WaitList.add(recvq, w);
    }
  }

  /** Takes a node out of the queue of its direction, if it is still in it. */
  @Override
  void unqueue(Waiter w) {
    dequeue(w, w.item != null); // a waiting sender's node holds its value, a receiver's nothing
  }

  void dequeue(Waiter w, boolean sending) {
    if (WaitList.isQueued(w)) {
      if (sending) {
        sendq = WaitList.remove(sendq, w);
      } else {
        recvq = WaitList.remove(recvq, w);
      }
    }
  }

  /**
   * Dequeues and claims the first waiter that can still be chosen, discarding select cases won
   * elsewhere; null when none. The caller completes it ({@link Waiter#complete}).
   */
  Waiter pollLive(boolean senders) {
    for (; ; ) {
      Waiter w = senders ? sendq : recvq;
      if (w == null) {
        return null;
      }
      if (senders) {
        sendq = WaitList.remove(w, w);
      } else {
        recvq = WaitList.remove(w, w);
      }
      if (Waiter.claim(w)) {
        return w;
      }
    }
  }

  /** Whether a waiter that can still be chosen is queued; discards select cases won elsewhere. */
  private boolean hasLive(boolean senders) {
    for (; ; ) {
      Waiter w = senders ? sendq : recvq;
      if (w == null) {
        return false;
      }
      if (w.isLive()) {
        return true;
      }
      if (senders) {
        sendq = WaitList.remove(w, w);
      } else {
        recvq = WaitList.remove(w, w);
      }
    }
  }

  /**
   * The wait of a plain thread, or of a fiber pinned by a monitor on its path: blocks the thread.
   * Called with the lock held and {@code w} queued; releases the lock.
   */
  private void awaitBlocking(Waiter w) {
    Parker p = Parker.current();
    w.parker = p;
    spinUnlock();
    try {
      // At least once, as the fiber's wait, and for the same reason.
      do {
        p.parkThread(w);
      } while (!w.isDone());
    } catch (Throwable t) {
      // A throwable escaping the wait (a stack overflow, say) ends it for good.
      Waiter.abandon(w);
      throw t;
    }
  }

  /** After a receive's wait: the value it was given (null when closed), and the node recycled. */
  private static Object takeItem(Waiter w) {
    Object v = w.item;
    ((Waitable) w.owner).recycle(w);
    return v;
  }

  /** After a send's wait: whether the value was delivered (false: closed), and the node recycled. */
  private static boolean takeOutcome(Waiter w) {
    boolean delivered = w.ok;
    ((Waitable) w.owner).recycle(w);
    return delivered;
  }

  /** The number of parties waiting to receive (select cases included); for tests and dumps. */
  int waitingReceivers() {
    spinLock();
    int n = WaitList.countLive(recvq);
    spinUnlock();
    return n;
  }

  /** The number of parties waiting to send (select cases included); for tests and dumps. */
  int waitingSenders() {
    spinLock();
    int n = WaitList.countLive(sendq);
    spinUnlock();
    return n;
  }

  private static ChannelClosedException sendOnClosed() {
    return new ChannelClosedException(
        "send on a closed channel: stop sending before closing, or check isClosed()"
            + " where several parties send");
  }

  /**
   * A buffered channel's ring of values. Everything is guarded by the channel's lock, except that
   * {@link #count()} may be read without it ({@link #len()}, a snapshot).
   */
  private static class Ring {
    private static final VarHandle COUNT;

    static {
      try {
        COUNT = MethodHandles.lookup().findVarHandle(Ring.class, "count", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    /** The values; the length is the capacity. */
    final Object[] slots;

    /** Index of the oldest value. */
    int head;

    /** Number of values; written with opaque stores so that {@link #count()} sees a real value. */
    int count;

    Ring(int capacity) {
      slots = new Object[capacity];
    }

    /** Appends {@code v}; false when full. */
    boolean offer(Object v) {
      int n = count;
      Object[] b = slots;
      if (n == b.length) {
        return false;
      }
      int tail = head + n;
      b[tail >= b.length ? tail - b.length : tail] = v;
      COUNT.setOpaque(this, n + 1);
      return true;
    }

    /** Takes the oldest value; null when empty. */
    Object poll() {
      int n = count;
      if (n == 0) {
        return null;
      }
      Object[] b = slots;
      int h = head;
      Object v = b[h];
      b[h] = null;
      head = h + 1 == b.length ? 0 : h + 1;
      COUNT.setOpaque(this, n - 1);
      return v;
    }

    /** A full ring: takes the oldest value and appends {@code v} in its place, keeping FIFO order. */
    Object exchangeHead(Object v) {
      Object[] b = slots;
      int h = head;
      Object old = b[h];
      b[h] = v;
      head = h + 1 == b.length ? 0 : h + 1;
      return old;
    }

    /** The number of values, read without the lock. */
    int count() {
      return (int) COUNT.getOpaque(this);
    }

    /** As {@link #count()}, and no later read moves before it. */
    int countAcquire() {
      return (int) COUNT.getAcquire(this);
    }
  }

  /** The ring of a channel from {@link #makeClosing}: carries the action its close runs. */
  private static final class ClosingRing extends Ring {
    final Runnable onClose;

    ClosingRing(int capacity, Runnable onClose) {
      super(capacity);
      this.onClose = onClose;
    }
  }
}
