package dev.weft.net;

import static dev.weft.net.NetTestKit.addr;
import static dev.weft.net.NetTestKit.echo;
import static dev.weft.net.NetTestKit.readN;
import static dev.weft.net.NetTestKit.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Channel;
import dev.weft.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Round trips through Conn and Listener, from fibers and from plain threads, IPv4 and IPv6. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetEchoTest {
  private NetTestKit.Baseline baseline;
  private int procs;

  @BeforeEach
  void before() {
    procs = Weft.maxProcs();
    baseline = new NetTestKit.Baseline();
  }

  @AfterEach
  void after() throws InterruptedException {
    Weft.setMaxProcs(procs);
    baseline.assertNoLeak();
  }

  @Test
  void anIdleConnectionMakesNoWriteTurnAndAWriteThatWaitsMakesOne() throws Exception {
    try (Listener l = Net.listen("127.0.0.1:0");
        Conn client = Net.dial(addr(l));
        Conn server = l.accept()) {
      Channel<Integer> read = Channel.make(1);
      Weft.go(() -> read.send(server.read(java.nio.ByteBuffer.allocate(16))));
      assertTrue(
          dev.weft.Eventually.until(() -> server.hasTurn(false), java.time.Duration.ofSeconds(20)),
          "the reader never waited");
      assertFalse(server.hasTurn(true), "an idle connection made a write turn");
      // Fill the socket buffers until a write has to wait, then drain them on the server side.
      byte[] chunk = new byte[64 * 1024];
      Channel<Integer> wrote = Channel.make(1);
      Weft.go(
          () -> {
            int total = 0;
            for (int i = 0; i < 400; i++) {
              client.write(chunk);
              total += chunk.length;
            }
            wrote.send(total);
          });
      assertTrue(
          dev.weft.Eventually.until(() -> client.hasTurn(true), java.time.Duration.ofSeconds(20)),
          "no write ever waited");
      int expected = 400 * chunk.length;
      long drained = read.receive(); // the first bytes went to the fiber that was waiting
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
      while (drained < expected) {
        buf.clear();
        drained += server.read(buf);
      }
      assertEquals(expected, (int) wrote.receive());
      assertEquals(expected, drained);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void fibersEchoOverManyConnections(int n) throws Exception {
    Weft.setMaxProcs(n);
    int conns = 50;
    int rounds = 20;
    try (Listener l = Net.listen("127.0.0.1:0")) {
      String at = addr(l);
      Weft.go(
          () -> {
            for (int i = 0; i < conns; i++) {
              Conn c = l.accept();
              Weft.go(() -> echo(c));
            }
          });
      int total =
          Weft.call(
              () -> {
                Channel<Integer> done = Channel.make(conns);
                for (int i = 0; i < conns; i++) {
                  int id = i;
                  Weft.go(
                      () -> {
                        try (Conn c = Net.dial(at)) {
                          int ok = 0;
                          for (int r = 0; r < rounds; r++) {
                            String msg = "conn " + id + " round " + r + "\n";
                            c.write(utf8(msg));
                            if (readN(c, msg.length()).equals(msg)) {
                              ok++;
                            }
                          }
                          done.send(ok);
                        }
                      });
                }
                int sum = 0;
                for (int i = 0; i < conns; i++) {
                  sum += done.receive();
                }
                return sum;
              });
      assertEquals(conns * rounds, total);
    }
  }

  @Test
  void plainThreadsEchoThroughTheSameApi() throws Exception {
    try (Listener l = Net.listen("127.0.0.1:0")) {
      Thread server =
          new Thread(
              () -> {
                try (Conn c = l.accept()) {
                  echo(c);
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              });
      server.start();
      try (Conn c = Net.dial(addr(l))) {
        for (int r = 0; r < 100; r++) {
          String msg = "round " + r;
          c.write(utf8(msg));
          assertEquals(msg, readN(c, msg.length()));
        }
      }
      server.join();
    }
  }

  @Test
  void aFiberServerAndPlainThreadClients() throws Exception {
    try (Listener l = Net.listen("127.0.0.1:0")) {
      int clients = 8;
      Weft.go(
          () -> {
            for (int i = 0; i < clients; i++) {
              Conn c = l.accept();
              Weft.go(() -> echo(c));
            }
          });
      List<Thread> threads = new ArrayList<>();
      List<String> got = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int i = 0; i < clients; i++) {
        String msg = "client " + i;
        Thread t =
            new Thread(
                () -> {
                  try (Conn c = Net.dial(addr(l))) {
                    c.write(utf8(msg));
                    got.add(readN(c, msg.length()));
                  } catch (Exception e) {
                    got.add(e.toString());
                  }
                });
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join();
      }
      assertEquals(clients, got.size());
      for (String s : got) {
        assertEquals(true, s.startsWith("client "), s);
      }
    }
  }

  @Test
  void ipv6Loopback() throws Exception {
    try (Listener l = Net.listen("[::1]:0")) {
      assertEquals("0:0:0:0:0:0:0:1", l.address().getAddress().getHostAddress());
      Weft.go(() -> echo(l.accept()));
      String back =
          Weft.call(
              () -> {
                try (Conn c = Net.dial("[::1]:" + l.address().getPort())) {
                  c.write(utf8("over v6"));
                  return readN(c, 7) + " " + c.remoteAddress().getAddress().getHostAddress();
                }
              });
      assertEquals("over v6 0:0:0:0:0:0:0:1", back);
    }
  }
}
