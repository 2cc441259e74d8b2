package dev.weft.core;

import dev.weft.Suspendable;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * One non-blocking socket's place in the {@link NetPoller}, as Go's {@code pollDesc}: its selection
 * key, registered once, and the one party per direction (read or accept; write or connect) waiting
 * for readiness. The socket classes serialize waits per direction, so one slot each is enough.
 *
 * <pre>{@code
 * PollDesc pd = new PollDesc(channel, conn);       // channel already non-blocking
 * pd.checkDeadline(SelectionKey.OP_READ);
 * while ((n = channel.read(buf)) == 0) {
 *   pd.await(SelectionKey.OP_READ);                // suspends the fiber until readable
 * }
 * }</pre>
 *
 * <h2>Memory</h2>
 *
 * One per socket, and a server holds thousands of idle sockets: 56 bytes with compressed
 * references. The poller is the process's one {@link NetPoller}, not a field; the blocker of each
 * direction ({@link NetWait}) is made by the first wait in that direction, so an idle connection,
 * whose reader waits and whose writer never has, has only the read one.
 */
public final class PollDesc {
  /** The read slot (OP_READ, OP_ACCEPT). */
  public static final int READ = 0;
  /** The write slot (OP_WRITE, OP_CONNECT). */
  public static final int WRITE = 1;
  /** A deadline value that means none; see {@link #await}. */
  public static final long NO_DEADLINE = 0L;

  private static final VarHandle READER;
  private static final VarHandle WRITER;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      READER = l.findVarHandle(PollDesc.class, "reader", Parker.class);
      WRITER = l.findVarHandle(PollDesc.class, "writer", Parker.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final SelectionKey key;

  /** What the socket is, for dumps: its {@code toString()} names the addresses. */
  private final Object owner;

  /**
   * The blockers handed to park, one per direction, made by the first wait in that direction and
   * then reused. Plain fields: only the direction's one waiter (the socket classes serialize them)
   * writes them, before it publishes itself in its slot; the poller reads them after taking the
   * waiter from that slot ({@link #armedOps}).
   */
  private NetWait readWait;

  private NetWait writeWait;

  @SuppressWarnings("unused") // through READER
  private volatile Parker reader;

  @SuppressWarnings("unused") // through WRITER
  private volatile Parker writer;

  private volatile boolean closed;

  /** {@link System#nanoTime()} deadlines, {@link #NO_DEADLINE} for none. */
  private volatile long readDeadline;

  private volatile long writeDeadline;

  /**
   * Registers {@code ch}, which must be non-blocking, with the poller.
   *
   * @param owner the socket, whose {@code toString()} dumps show
   */
  public PollDesc(SelectableChannel ch, Object owner) throws IOException {
    this.owner = owner;
    this.key = NetPoller.get().register(ch, this);
  }

  /**
   * Waits until the poller reports {@code op} ready on the socket, until the direction's deadline
   * passes, until {@link #close()}, or until the deadline is moved. The caller then tries its
   * operation again: a return does not promise readiness (a stray wake-up may end a wait early, as
   * with any park).
   *
   * @param op one {@link SelectionKey} operation: OP_READ, OP_ACCEPT, OP_WRITE or OP_CONNECT
   * @throws SocketTimeoutException when the deadline has passed (before or during the wait)
   * @throws SocketException when the socket is closed
   */
  @Suspendable
  public void await(int op) throws IOException {
    int dir = (op & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0 ? READ : WRITE;
    Parker me = Parker.current();
    NetWait w = dir == READ ? readWait : writeWait;
    if (w == null) {
      w = new NetWait(this, dir);
      if (dir == READ) {
        readWait = w;
      } else {
        writeWait = w;
      }
    }
    w.op = op;
    slot(dir).setVolatile(this, me); // publish, then read closed and the deadline: see setDeadline
    try {
      if (closed) {
        throw closedException();
      }
      try {
        NetPoller.get().arm(key, op);
      } catch (CancelledKeyException e) {
        throw closedException();
      }
      long deadline = deadline(dir);
      if (deadline == NO_DEADLINE) {
        me.park(w);
      } else {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          me.parkNanos(w, left);
        }
      }
    } finally {
      // Woken by the poller: the slot is empty already, and the poller learns that a fiber it
      // readied has run (it polls less while they do). Otherwise take ourselves out, so that later
      // readiness does not leave a stray permit for an unrelated park.
      if (!slot(dir).compareAndSet(this, me, null)) {
        NetPoller.get().resumed();
      }
    }
    if (closed) {
      throw closedException();
    }
    checkDeadline(op);
  }

  /**
   * Throws when the deadline of {@code op}'s direction has passed (Go checks before every
   * operation, so a past deadline fails even an operation that would not block).
   *
   * @throws SocketTimeoutException naming the operation
   */
  public void checkDeadline(int op) throws SocketTimeoutException {
    int dir = (op & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0 ? READ : WRITE;
    long d = deadline(dir);
    if (d != NO_DEADLINE && d - System.nanoTime() <= 0) {
      throw new SocketTimeoutException(NetWait.opName(op, dir) + " timed out on " + owner);
    }
  }

  /**
   * Sets the deadline of direction {@code dir} ({@link #NO_DEADLINE} clears it) and wakes its
   * waiter, which then times out or waits again until the new deadline. The deadline is written
   * before the waiter slot is read, the waiter writes the slot before it reads the deadline: one of
   * the two sees the other.
   *
   * @param nanoDeadline a {@link System#nanoTime()} value other than {@link #NO_DEADLINE}, or it
   */
  public void setDeadline(int dir, long nanoDeadline) {
    if (dir == READ) {
      readDeadline = nanoDeadline;
    } else {
      writeDeadline = nanoDeadline;
    }
    wake(dir);
  }

  long deadline(int dir) {
    return dir == READ ? readDeadline : writeDeadline;
  }

  /**
   * Takes {@code ops} out of the interest set: for OP_CONNECT once connected, which epoll would
   * otherwise report (as writable) at every select without the JDK passing it on.
   */
  public void clearInterest(int ops) {
    try {
      key.interestOpsAnd(~ops);
    } catch (CancelledKeyException e) {
      // closed: nothing to clear
    }
  }

  /** Ends the wait in direction {@code dir}, if any, so that its caller looks at its deadline. */
  public void wake(int dir) {
    Parker p = takeWaiter(dir);
    if (p != null) {
      NetPoller.get().takenOutsidePoll(); // before the unpark, so before the waiter's count
      p.unpark();
    }
  }

  /**
   * Marks the socket closed and wakes both waiters, which throw. Call after closing the channel
   * (that cancels the key); the poller releases the descriptor at its next select.
   */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    wake(READ);
    wake(WRITE);
    NetPoller.get().closed();
  }

  public boolean isClosed() {
    return closed;
  }

  /** The exception of an operation on a closed socket. */
  public static SocketException closedException() {
    return new SocketException("Socket closed");
  }

  Parker takeWaiter(int dir) {
    return (Parker) slot(dir).getAndSet(this, null);
  }

  /** The interest bits a waiter in {@code dir} asked for; 0 when none ever waited there. */
  int armedOps(int dir) {
    NetWait w = dir == READ ? readWait : writeWait;
    return w == null ? 0 : w.op;
  }

  Object owner() {
    return owner;
  }

  private static VarHandle slot(int dir) {
    return dir == READ ? READER : WRITER;
  }
}
