package dev.weft.core;

import dev.weft.Eventually;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Weft;
import dev.weft.net.Conn;
import dev.weft.net.Listener;
import dev.weft.net.Net;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An idle scheduler with open, quiet connections does not poll in a loop: the polling worker
 * blocks in select until something happens. (A connected socket left with OP_CONNECT interest is
 * reported writable by epoll at every select, which the JDK does not pass on: a busy loop.)
 */
class NetPollerIdleTest {

  @Test
  void aConnectionThatHadToWaitForItsConnectCostsNoPolls() {
    assertTimeoutPreemptively(
        ParkerTest.HANG_GUARD,
        () -> {
          // A backlog of one, filled: the kernel drops the dial's first SYN, so its connect
          // really waits (on loopback it completes at once otherwise) until the SYN is sent
          // again, about a second later, by which time the queue has room.
          try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            List<SocketChannel> fillers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
              SocketChannel f = SocketChannel.open();
              f.configureBlocking(false);
              f.connect(server.getLocalAddress());
              fillers.add(f);
            }
            String at = "127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort();
            Conn[] dialled = new Conn[1];
            Thread dialler =
                new Thread(
                    () -> dialled[0] = Weft.call(() -> Net.dial(at, Duration.ofSeconds(20))));
            dialler.start();
            String waitsInConnect = "connect on tcp";
            Eventually.until(
                () -> Weft.dumpFibers().contains(waitsInConnect), Duration.ofSeconds(5));
            boolean waited = Weft.dumpFibers().contains(waitsInConnect);
            List<SocketChannel> accepted = new ArrayList<>();
            while (dialler.isAlive()) {
              SocketChannel a = server.accept(); // make room (blocking: the server is in that mode)
              accepted.add(a);
              dialler.join(50);
            }
            dialler.join();
            try (Conn c = dialled[0]) {
              Weft.go(() -> c.read(ByteBuffer.allocate(1))); // quiet until the close
              assertTrue(waited, "the dial never waited in connect: the test proves nothing");
              assertNoPollsWhileQuiet();
            } finally {
              for (SocketChannel f : fillers) {
                f.close();
              }
              for (SocketChannel a : accepted) {
                a.close();
              }
            }
          }
        });
  }

  private static void assertNoPollsWhileQuiet() throws InterruptedException {
    NetPoller p = NetPoller.get();
    Thread.sleep(200); // settle: the readers park, the workers go idle
    long before = p.selects;
    Thread.sleep(500);
    long polls = p.selects - before;
    // A busy loop makes about 100,000 (measured on a loaded machine). Timers and fibers that other
    // tests of the suite left running end selects too (about 900 in 500 ms, measured): that is
    // no busy polling.
    assertTrue(polls < 5_000, polls + " selects in 500 ms with nothing happening");
  }

  @Test
  void quietConnectionsCostNoPolls() {
    assertTimeoutPreemptively(
        ParkerTest.HANG_GUARD,
        () -> {
          try (Listener l = Net.listen("127.0.0.1:0")) {
            Conn[] ends = new Conn[2];
            Weft.call(
                () -> {
                  ends[0] = Net.dial("127.0.0.1:" + l.address().getPort());
                  ends[1] = l.accept();
                  return null;
                });
            for (Conn c : ends) {
              Weft.go(() -> c.read(ByteBuffer.allocate(1))); // quiet until the close
            }
            try {
              assertNoPollsWhileQuiet();
            } finally {
              for (Conn c : ends) {
                c.close();
              }
            }
          }
        });
  }
}
