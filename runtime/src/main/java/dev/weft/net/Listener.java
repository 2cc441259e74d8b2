package dev.weft.net;

import dev.weft.Mutex;
import dev.weft.Suspendable;
import dev.weft.core.PollDesc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A TCP listening socket, as Go's {@code net.Listener}, made by {@link Net#listen}. Fibers blocked
 * in {@link #accept()} hold no worker thread.
 *
 * <pre>{@code
 * try (Listener l = Net.listen(":8080")) {
 *   for (;;) {
 *     Conn c = l.accept();
 *     Weft.go(() -> serve(c));
 *   }
 * }
 * }</pre>
 */
public final class Listener implements AutoCloseable {
  private final ServerSocketChannel ch;
  private final PollDesc pd;
  private final InetSocketAddress address;

  /** Concurrent accepts take turns waiting: the poll slot holds one party. */
  private final Mutex acceptTurn = new Mutex();

  Listener(ServerSocketChannel ch) throws IOException {
    this.ch = ch;
    this.address = (InetSocketAddress) ch.getLocalAddress();
    this.pd = new PollDesc(ch, this);
  }

  /**
   * Waits for the next connection and returns it.
   *
   * <pre>{@code
   * Conn c = listener.accept();
   * Weft.go(() -> serve(c));
   * }</pre>
   *
   * @throws IOException when the listener is closed (also while waiting), or accepting fails (out
   *     of file descriptors, say)
   */
  @Suspendable
  public Conn accept() throws IOException {
    if (pd.isClosed()) {
      throw PollDesc.closedException();
    }
    SocketChannel c = ch.accept();
    if (c == null) {
      c = acceptWaiting();
    }
    return Conn.accepted(c);
  }

  @Suspendable
  private SocketChannel acceptWaiting() throws IOException {
    acceptTurn.lock();
    try {
      for (; ; ) {
        pd.await(SelectionKey.OP_ACCEPT); // the accept before this one found nobody
        SocketChannel c = ch.accept();
        if (c != null) {
          return c;
        }
      }
    } finally {
      acceptTurn.unlock();
    }
  }

  /**
   * The bound address, with the port the system picked for port 0.
   *
   * <pre>{@code
   * int port = Net.listen("127.0.0.1:0").address().getPort();
   * }</pre>
   */
  public InetSocketAddress address() {
    return address;
  }

  /**
   * Stops listening; fibers and threads blocked in accept get an {@link IOException}. Closing
   * twice does nothing.
   *
   * <pre>{@code
   * listener.close();   // the accept loop's accept() throws: the server fiber ends
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
      // The descriptor is gone either way.
    }
    pd.close();
  }

  /** For example {@code tcp listener 127.0.0.1:8080}. */
  @Override
  public String toString() {
    return "tcp listener " + HostPort.format(address);
  }
}
