package dev.weft.net;

import dev.weft.Mutex;
import dev.weft.Suspendable;
import dev.weft.core.Fiber;
import dev.weft.core.PollDesc;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Instant;

/**
 * A TCP connection, as Go's {@code net.Conn}. A fiber that reads, writes or dials where the socket
 * is not ready suspends until the network poller reports it ready, holding no worker thread; a
 * plain thread blocks. One fiber may read while another writes; concurrent reads (or writes) take
 * turns.
 *
 * <pre>{@code
 * try (Conn c = Net.dial("example.com:80")) {
 *   c.write("HEAD / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
 *   ByteBuffer buf = ByteBuffer.allocate(4096);
 *   while (c.read(buf) > 0) {}
 * }
 * }</pre>
 *
 * <h2>Deadlines</h2>
 *
 * As Go's: a deadline is a point in time, not a timeout per call. Once it has passed, the blocked
 * call and every later one in that direction throw {@link SocketTimeoutException}; the connection
 * stays usable, and moving the deadline (or clearing it with null) lets the next call wait again.
 * A write that times out has written {@code src.position()} bytes; nothing it returned for is
 * lost.
 */
public final class Conn implements dev.weft.io.Reader, dev.weft.io.Writer, AutoCloseable {
  private final SocketChannel ch;
  private final PollDesc pd;

  /**
   * Concurrent readers (writers) take turns waiting: the poll slot holds one party. Made by the
   * first read (write) that has to wait, so a connection whose writes never wait (nearly all of
   * them, and every idle one) has no write turn: 32 bytes less per connection.
   */
  @SuppressWarnings("unused") // through READ_TURN
  private volatile Mutex readTurn;

  @SuppressWarnings("unused") // through WRITE_TURN
  private volatile Mutex writeTurn;

  /**
   * The last read left room in its buffer, so it took every byte the socket had. In a request and
   * response exchange the peer's next bytes come only after our answer, and a read tried at once
   * would fail: a fiber then waits for readiness first, which saves that failed system call (a
   * third of a request's). Nothing is missed: the poller's epoll is level-triggered and the
   * socket's read interest stays set, so bytes already there are reported at the next poll. Plain
   * threads read first: their wait is a thread park, dearer than the failed read. A hint, read and
   * written without ordering: a stale value costs one failed read or one poll, nothing else.
   */
  private boolean drained;

  private volatile InetSocketAddress local;
  private volatile InetSocketAddress remote;

  private static final VarHandle READ_TURN;
  private static final VarHandle WRITE_TURN;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      READ_TURN = l.findVarHandle(Conn.class, "readTurn", Mutex.class);
      WRITE_TURN = l.findVarHandle(Conn.class, "writeTurn", Mutex.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Wraps an open, non-blocking channel and registers it with the poller. */
  Conn(SocketChannel ch, InetSocketAddress remote) throws IOException {
    this.ch = ch;
    this.remote = remote;
    this.pd = new PollDesc(ch, this);
  }

  /** An accepted connection. */
  static Conn accepted(SocketChannel ch) throws IOException {
    try {
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true); // as Go: small writes go out at once
      Conn c = new Conn(ch, (InetSocketAddress) ch.getRemoteAddress());
      c.local = (InetSocketAddress) ch.getLocalAddress();
      return c;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Connects this (new) connection; on failure the caller closes it. */
  @Suspendable
  void connect(InetSocketAddress to) throws IOException {
    remote = to;
    if (!ch.connect(to)) {
      pd.checkDeadline(SelectionKey.OP_CONNECT);
      while (!ch.finishConnect()) {
        pd.await(SelectionKey.OP_CONNECT);
      }
      pd.clearInterest(SelectionKey.OP_CONNECT);
    }
    local = (InetSocketAddress) ch.getLocalAddress();
  }

  PollDesc poll() {
    return pd;
  }

  /** Whether a read (write) has had to wait yet, which makes its turn; for tests. */
  boolean hasTurn(boolean write) {
    return (write ? writeTurn : readTurn) != null;
  }

  /** The turn in {@code field}, made by whichever party needs it first (the others take that one). */
  private Mutex turn(VarHandle field) {
    Mutex m = (Mutex) field.getAcquire(this);
    if (m == null) {
      Mutex fresh = new Mutex();
      m = (Mutex) field.compareAndExchange(this, null, fresh);
      if (m == null) {
        m = fresh;
      }
    }
    return m;
  }

  /**
   * Reads into {@code dst}'s remaining space, suspending until at least one byte is there.
   *
   * <pre>{@code
   * ByteBuffer buf = ByteBuffer.allocate(4096);
   * int n = conn.read(buf);   // -1: the peer is done sending
   * }</pre>
   *
   * @return the number of bytes read, at least 1; -1 at the end of the stream (the peer closed or
   *     half-closed); 0 at once when {@code dst} has no room
   * @throws SocketTimeoutException when the read deadline has passed
   * @throws IOException when the connection is closed or reset
   */
  @Override
  @Suspendable
  public int read(ByteBuffer dst) throws IOException {
    if (pd.isClosed()) {
      throw PollDesc.closedException();
    }
    if (!dst.hasRemaining()) {
      return 0;
    }
    pd.checkDeadline(SelectionKey.OP_READ);
    int n;
    if (drained && Fiber.current() != null) {
      n = readWaiting(dst); // the last read emptied the socket: wait first (see drained)
    } else {
      n = ch.read(dst);
      if (n == 0) {
        n = readWaiting(dst);
      }
    }
    drained = n > 0 && dst.hasRemaining();
    return n;
  }

  /**
   * The read that would block: one failed read is behind us, or the last read emptied the socket
   * ({@link #drained}), so wait for readiness before the next (level-triggered epoll reports bytes
   * that came meanwhile, nothing is missed).
   */
  @Suspendable
  private int readWaiting(ByteBuffer dst) throws IOException {
    turn(READ_TURN).lock(); // no local: it would be saved with the frame of every idle reader
    try {
      for (; ; ) {
        pd.await(SelectionKey.OP_READ);
        int n = ch.read(dst);
        if (n != 0) {
          return n;
        }
      }
    } finally {
      readTurn.unlock();
    }
  }

  /**
   * Reads into {@code b[off, off + len)}, as {@link #read(ByteBuffer)}.
   *
   * <pre>{@code
   * byte[] buf = new byte[4096];
   * int n = conn.read(buf, 0, buf.length);
   * }</pre>
   */
  @Suspendable
  public int read(byte[] b, int off, int len) throws IOException {
    return read(ByteBuffer.wrap(b, off, len));
  }

  /**
   * Writes every remaining byte of {@code src}, suspending while the socket's send buffer is full.
   * A 0-byte write returns at once.
   *
   * <pre>{@code
   * buf.flip();
   * conn.write(buf);          // all of it, or an exception
   * }</pre>
   *
   * @throws SocketTimeoutException when the write deadline passes; {@code src.position()} tells
   *     how far it got
   * @throws IOException when the connection is closed or reset (the peer went away)
   */
  @Override
  @Suspendable
  public void write(ByteBuffer src) throws IOException {
    if (pd.isClosed()) {
      throw PollDesc.closedException();
    }
    if (!src.hasRemaining()) {
      return;
    }
    pd.checkDeadline(SelectionKey.OP_WRITE);
    ch.write(src);
    if (src.hasRemaining()) {
      writeWaiting(src);
    }
  }

  @Suspendable
  private void writeWaiting(ByteBuffer src) throws IOException {
    turn(WRITE_TURN).lock();
    try {
      do {
        pd.await(SelectionKey.OP_WRITE); // the write before this one left bytes over
        ch.write(src);
      } while (src.hasRemaining());
    } finally {
      writeTurn.unlock();
    }
  }

  /**
   * Writes {@code b[off, off + len)}, as {@link #write(ByteBuffer)}.
   *
   * <pre>{@code
   * conn.write(buf, 0, n);
   * }</pre>
   */
  @Suspendable
  public void write(byte[] b, int off, int len) throws IOException {
    write(ByteBuffer.wrap(b, off, len));
  }

  /**
   * Writes all of {@code b}.
   *
   * <pre>{@code
   * conn.write("hello\n".getBytes(StandardCharsets.UTF_8));
   * }</pre>
   */
  @Suspendable
  public void write(byte[] b) throws IOException {
    write(ByteBuffer.wrap(b));
  }

  /**
   * Sets the read and the write deadline (Go's SetDeadline); null clears both.
   *
   * <pre>{@code
   * conn.setDeadline(Instant.now().plusSeconds(30));
   * }</pre>
   */
  public void setDeadline(Instant t) {
    setReadDeadline(t);
    setWriteDeadline(t);
  }

  /**
   * Sets the read deadline; null clears it. A read blocked now sees the new deadline at once.
   *
   * <pre>{@code
   * conn.setReadDeadline(Instant.now().plusMillis(500));
   * }</pre>
   */
  public void setReadDeadline(Instant t) {
    pd.setDeadline(PollDesc.READ, Deadlines.toNanoTime(t));
  }

  /**
   * Sets the write deadline; null clears it. A write blocked now sees the new deadline at once.
   *
   * <pre>{@code
   * conn.setWriteDeadline(Instant.now().plusSeconds(5));
   * }</pre>
   */
  public void setWriteDeadline(Instant t) {
    pd.setDeadline(PollDesc.WRITE, Deadlines.toNanoTime(t));
  }

  /**
   * Half-closes the connection: the peer reads end of stream, and this side may still read.
   *
   * <pre>{@code
   * conn.write(request);
   * conn.closeWrite();          // "that was all"
   * while (conn.read(buf) > 0) { ... }
   * }</pre>
   */
  public void closeWrite() throws IOException {
    if (pd.isClosed()) {
      throw PollDesc.closedException();
    }
    ch.shutdownOutput();
  }

  /**
   * This end's address.
   *
   * <pre>{@code
   * int port = conn.localAddress().getPort();
   * }</pre>
   */
  public InetSocketAddress localAddress() {
    return local;
  }

  /**
   * The peer's address.
   *
   * <pre>{@code
   * log("client " + conn.remoteAddress());
   * }</pre>
   */
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  /**
   * Closes the connection; fibers and threads blocked in read or write on it get an {@link
   * IOException}. Closing twice does nothing.
   *
   * <pre>{@code
   * try (Conn c = listener.accept()) { ... }   // closed however the block ends
   * }</pre>
   */
  @Override
  public void close() {
    if (pd.isClosed()) {
      return;
    }
    try {
      ch.close();
    } catch (IOException e) {
      // Nothing to do about it: the descriptor is gone either way.
    }
    pd.close();
  }

  /** For example {@code tcp 127.0.0.1:51234->127.0.0.1:8080}. */
  @Override
  public String toString() {
    return "tcp " + HostPort.format(local) + "->" + HostPort.format(remote);
  }
}
