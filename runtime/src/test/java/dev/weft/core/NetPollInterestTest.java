package dev.weft.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Channel;
import dev.weft.Weft;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A poll that finds a socket readable while the fiber it woke for that socket still waits in a run
 * queue keeps the socket's read interest (dropping it costs two {@code epoll_ctl} calls, one now
 * and one when the fiber waits again); readiness nobody takes is still dropped a few polls later,
 * so that level-triggered epoll does not report it forever.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetPollInterestTest {
  private static final long POLL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

  @Test
  void aPollWhileTheWokenReaderIsQueuedKeepsItsReadInterest() throws Exception {
    int procs = Weft.setMaxProcs(1);
    try (ServerSocketChannel listener = ServerSocketChannel.open();
        SocketChannel client = SocketChannel.open()) {
      listener.bind(new InetSocketAddress("127.0.0.1", 0));
      client.connect(listener.getLocalAddress());
      try (SocketChannel server = listener.accept()) {
        server.configureBlocking(false);
        PollDesc pd = new PollDesc(server, "test socket");
        Channel<String> got = Channel.make(1);
        int kept =
            Weft.call(
                () -> {
                  // On the only worker: the reader runs only when this fiber lets it.
                  Weft.go(() -> got.send(awaitAndRead(pd, server)));
                  while (!Weft.dumpFibers().contains("parked on read on test socket")) {
                    Weft.gosched();
                  }
                  client.write(ByteBuffer.wrap("hello".getBytes(UTF_8)));
                  NetPoller p = NetPoller.active();
                  while (Weft.dumpFibers().contains("parked on read on test socket")) {
                    pollOnce(p); // ours, or the monitor's: either way the reader is queued now
                  }
                  // The reader is queued behind us, the bytes unread: the next poll reports the
                  // socket readable with nobody waiting.
                  pollOnce(p);
                  return pd.key().interestOps() & SelectionKey.OP_READ;
                });
        assertNotEquals(0, kept, "the read interest was dropped while its reader was queued");
        assertEquals("hello", got.receive());
      }
    } finally {
      Weft.setMaxProcs(procs);
    }
  }

  @Test
  void readinessThatNobodyTakesIsDroppedAfterAFewPolls() throws Exception {
    int procs = Weft.setMaxProcs(1);
    try (ServerSocketChannel listener = ServerSocketChannel.open();
        SocketChannel client = SocketChannel.open()) {
      listener.bind(new InetSocketAddress("127.0.0.1", 0));
      client.connect(listener.getLocalAddress());
      try (SocketChannel server = listener.accept()) {
        server.configureBlocking(false);
        PollDesc pd = new PollDesc(server, "test socket");
        Channel<String> release = Channel.make();
        Channel<String> woke = Channel.make(1);
        int left =
            Weft.call(
                () -> {
                  // The reader is woken, then waits on a channel and never reads the socket.
                  Weft.go(
                      () -> {
                        pd.await(SelectionKey.OP_READ);
                        woke.send("woke");
                        release.receive();
                      });
                  while (!Weft.dumpFibers().contains("parked on read on test socket")) {
                    Weft.gosched();
                  }
                  client.write(ByteBuffer.wrap("hello".getBytes(UTF_8)));
                  NetPoller p = NetPoller.active();
                  while (Weft.dumpFibers().contains("parked on read on test socket")) {
                    pollOnce(p);
                  }
                  woke.receive(); // the reader ran, and waits on release now
                  long deadline = System.nanoTime() + POLL_TIMEOUT_NANOS;
                  while ((pd.key().interestOps() & SelectionKey.OP_READ) != 0
                      && System.nanoTime() - deadline < 0) {
                    pollOnce(p);
                  }
                  return pd.key().interestOps() & SelectionKey.OP_READ;
                });
        assertEquals(0, left, "readiness nobody took kept its interest");
        release.send("done");
      }
    } finally {
      Weft.setMaxProcs(procs);
    }
  }

  @dev.weft.Suspendable
  private static String awaitAndRead(PollDesc pd, SocketChannel ch) throws IOException {
    pd.await(SelectionKey.OP_READ);
    ByteBuffer buf = ByteBuffer.allocate(64);
    int n = ch.read(buf);
    return new String(buf.array(), 0, n, UTF_8);
  }

  /** One non-blocking poll of our own (another poller may hold the right for a moment). */
  private static int pollOnce(NetPoller p) {
    long deadline = System.nanoTime() + POLL_TIMEOUT_NANOS;
    long before = p.selects;
    int woken = 0;
    while (p.selects == before) {
      assertTrue(System.nanoTime() - deadline < 0, "could not poll for 20 s");
      woken = p.pollNonBlocking();
    }
    return woken;
  }
}
