package dev.weft.net;

import static dev.weft.net.NetTestKit.addr;
import static dev.weft.net.NetTestKit.echo;
import static dev.weft.net.NetTestKit.readAll;
import static dev.weft.net.NetTestKit.readN;
import static dev.weft.net.NetTestKit.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.Weft;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Faults and edge cases: resets, half-closes, deadlines, closes under blocked calls, empty I/O. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetFaultTest {
  private NetTestKit.Baseline baseline;

  @BeforeEach
  void before() {
    baseline = new NetTestKit.Baseline();
  }

  @AfterEach
  void after() throws InterruptedException {
    baseline.assertNoLeak();
  }

  @Test
  void aPeerThatResetsMidWriteFailsTheWriter() throws Exception {
    try (Listener l = Net.listen("127.0.0.1:0")) {
      Weft.go(
          () -> {
            Conn c = l.accept();
            readN(c, 1); // then close with unread data queued: the kernel answers with a reset
            c.close();
          });
      IOException e =
          Weft.call(
              () -> {
                try (Conn c = Net.dial(addr(l))) {
                  byte[] chunk = new byte[64 * 1024];
                  // Bounded: a reset arrives after at most a few socket buffers.
                  for (int i = 0; i < 4096; i++) {
                    try {
                      c.write(chunk);
                    } catch (IOException x) {
                      return x;
                    }
                  }
                  return null;
                }
              });
      assertTrue(e != null, "256 MB written to a peer that closed");
    }
  }

  @Test
  void halfClosedPeersStillReadAndWrite() throws Exception {
    try (Listener l = Net.listen("127.0.0.1:0")) {
      Weft.go(
          () -> {
            try (Conn c = l.accept()) {
              String request = readAll(c); // until the client's closeWrite
              c.write(utf8("got " + request));
            }
          });
      String reply =
          Weft.call(
              () -> {
                try (Conn c = Net.dial(addr(l))) {
                  c.write(utf8("question"));
                  c.closeWrite();
                  assertThrows(IOException.class, () -> c.write(utf8("more")));
                  return readAll(c);
                }
              });
      assertEquals("got question", reply);
    }
  }

  @Test
  void aClientThatNeverWritesTimesOutAndTheConnStaysUsable() throws Exception {
    try (Listener l = Net.listen("127.0.0.1:0")) {
      Channel<String> events = Channel.make(10);
      Channel<Boolean> speak = Channel.make(1);
      Weft.go(
          () -> {
            try (Conn c = Net.dial(addr(l))) {
              speak.receive(); // silent until told
              c.write(utf8("late"));
              readAll(c);
            }
          });
      Weft.call(
          () -> {
            try (Conn c = l.accept()) {
              c.setReadDeadline(Instant.now().plusMillis(100));
              long t0 = System.nanoTime();
              // (assertThrows would call read through JUnit's frames, which cannot suspend)
              String first = readOutcome(c);
              assertTrue(System.nanoTime() - t0 >= 90_000_000L, "timed out early");
              assertTrue(first.contains("read timed out on tcp"), first);
              // Still past: the next read fails at once, as in Go.
              assertTrue(readOutcome(c).contains("read timed out"));
              c.setReadDeadline(null);
              speak.send(true);
              events.send(readN(c, 4));
            }
            return null;
          });
      assertEquals("late", events.receive());
    }
  }

  @Test
  void aDeadlineMovedWhileBlockedTakesEffectAtOnce() throws Exception {
    try (Listener l = Net.listen("127.0.0.1:0")) {
      Weft.go(
          () -> {
            try (Conn c = Net.dial(addr(l))) {
              readAll(c); // holds the connection open, silent
            }
          });
      String outcome =
          Weft.call(
              () -> {
                try (Conn c = l.accept()) {
                  c.setReadDeadline(Instant.now().plusSeconds(3600));
                  Channel<String> result = Channel.make(1);
                  Weft.go(
                      () -> {
                        try {
                          c.read(ByteBuffer.allocate(1));
                          result.send("read returned");
                        } catch (SocketTimeoutException e) {
                          result.send("timed out");
                        }
                      });
                  waitForDump("read on tcp " + HostPort.format(c.localAddress()));
                  String dump = Weft.dumpFibers();
                  assertTrue(dump.matches("(?s).*read on tcp [^\\]]*, deadline in \\d+ ms\\].*"), dump);
                  c.setReadDeadline(Instant.now().minusSeconds(1)); // into the past: wake it now
                  String first = result.receive();
                  // Moved back into the future: the next read waits again, until data comes.
                  c.setDeadline(Instant.now().plusSeconds(3600));
                  Weft.go(() -> result.send(c.read(ByteBuffer.allocate(1)) == -1 ? "eof" : "data"));
                  waitForDump("read on tcp " + HostPort.format(c.localAddress()));
                  c.closeWrite(); // the client's readAll ends, it closes, our read sees EOF
                  return first + ", then " + result.receive();
                }
              });
      assertEquals("timed out, then eof", outcome);
    }
  }

  @Test
  void closingAListenerFailsEveryBlockedAccept() throws Exception {
    Listener l = Net.listen("127.0.0.1:0");
    int n = 3;
    int failed =
        Weft.call(
            () -> {
              Channel<String> outcomes = Channel.make(n);
              for (int i = 0; i < n; i++) {
                Weft.go(
                    () -> {
                      try {
                        l.accept().close();
                        outcomes.send("accepted");
                      } catch (IOException e) {
                        outcomes.send("failed");
                      }
                    });
              }
              waitForDump("accept on tcp listener " + addr(l));
              l.close();
              int f = 0;
              for (int i = 0; i < n; i++) {
                f += outcomes.receive().equals("failed") ? 1 : 0;
              }
              return f;
            });
    assertEquals(n, failed);
  }

  @Test
  void closingAConnFailsItsBlockedReaderAndWriter() throws Exception {
    Channel<Boolean> release = Channel.make(1);
    try (Listener l = Net.listen("127.0.0.1:0")) {
      Weft.go(
          () -> {
            try (Conn c = l.accept()) {
              readN(c, 1); // reads one byte and then nothing: the client's writer fills up
              release.receive();
            }
          });
      String outcome =
          Weft.call(
              () -> {
                Conn c = Net.dial(addr(l));
                Channel<String> results = Channel.make(2);
                Weft.go(
                    () -> {
                      try {
                        c.read(ByteBuffer.allocate(1));
                        results.send("read returned");
                      } catch (IOException e) {
                        results.send("read failed");
                      }
                    });
                Weft.go(
                    () -> {
                      try {
                        byte[] chunk = new byte[1 << 20];
                        for (int i = 0; i < 256; i++) {
                          c.write(chunk);
                        }
                        results.send("write returned");
                      } catch (IOException e) {
                        results.send("write failed");
                      }
                    });
                waitForDump("read on tcp " + HostPort.format(c.localAddress()));
                waitForDump("write on tcp " + HostPort.format(c.localAddress()));
                c.close();
                String a = results.receive();
                String b = results.receive();
                release.send(true);
                return a.compareTo(b) < 0 ? a + ", " + b : b + ", " + a;
              });
      assertEquals("read failed, write failed", outcome);
    }
  }

  @Test
  void emptyBuffersReadAndWriteNothingAtOnce() throws Exception {
    try (Listener l = Net.listen("127.0.0.1:0")) {
      Weft.go(() -> echo(l.accept()));
      String r =
          Weft.call(
              () -> {
                try (Conn c = Net.dial(addr(l))) {
                  ByteBuffer full = ByteBuffer.allocate(4);
                  full.position(4);
                  int n = c.read(full); // no data either: must not wait for any
                  c.write(new byte[0]);
                  c.write(ByteBuffer.allocate(0));
                  c.write(new byte[5], 2, 0);
                  c.write(utf8("x"));
                  return n + " " + readN(c, 1);
                }
              });
      assertEquals("0 x", r);
    }
  }

  @Test
  void aServerFiberThatThrowsLosesItsConnectionOnly() throws Exception {
    Thread.UncaughtExceptionHandler old = Thread.getDefaultUncaughtExceptionHandler();
    Channel<Throwable> uncaught = Channel.make(4);
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.trySend(e));
    try (Listener l = Net.listen("127.0.0.1:0")) {
      Weft.go(
          () -> {
            for (int i = 0; i < 2; i++) {
              Conn c = l.accept();
              Weft.go(
                  () -> {
                    try (c) {
                      String req = readN(c, 4);
                      if (req.equals("boom")) {
                        throw new IllegalStateException("handler failed on " + req);
                      }
                      c.write(utf8("ok:" + req));
                    }
                  });
            }
          });
      String r =
          Weft.call(
              () -> {
                String first;
                try (Conn c = Net.dial(addr(l))) {
                  c.write(utf8("boom"));
                  first = "[" + readAll(c) + "]"; // closed by the failing handler's try
                }
                try (Conn c = Net.dial(addr(l))) {
                  c.write(utf8("fine"));
                  return first + " " + readAll(c);
                }
              });
      assertEquals("[] ok:fine", r);
      assertEquals("handler failed on boom", uncaught.receive().getMessage());
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(old);
    }
  }

  @Test
  void aRefusedDialIsAConnectExceptionNamingTheAddress() throws Exception {
    Listener l = Net.listen("127.0.0.1:0");
    String at = addr(l);
    l.close(); // nobody listens there now
    ConnectException e = assertThrows(ConnectException.class, () -> NetTestKit.call(() -> Net.dial(at)));
    assertTrue(e.getMessage().contains(at), e.getMessage());
  }

  @Test
  void aDialTimeoutGivesUp() throws Exception {
    // A listener that never accepts, with the smallest backlog: once its queue is full the kernel
    // drops further connection attempts, so a dial hangs until its timeout.
    try (java.nio.channels.ServerSocketChannel full = java.nio.channels.ServerSocketChannel.open()) {
      full.bind(new java.net.InetSocketAddress("127.0.0.1", 0), 1);
      String at = "127.0.0.1:" + ((java.net.InetSocketAddress) full.getLocalAddress()).getPort();
      java.util.List<Conn> held = new java.util.ArrayList<>();
      try {
        SocketTimeoutException timedOut = null;
        for (int i = 0; i < 16 && timedOut == null; i++) {
          try {
            held.add(NetTestKit.call(() -> Net.dial(at, Duration.ofMillis(200))));
          } catch (SocketTimeoutException e) {
            timedOut = e;
          }
        }
        assertTrue(timedOut != null, "16 dials to a full backlog all connected");
        assertTrue(timedOut.getMessage().contains(at), timedOut.getMessage());
        SocketTimeoutException none = assertThrows(SocketTimeoutException.class, () -> NetTestKit.call(() -> Net.dial(at, Duration.ZERO)));
        assertTrue(none.getMessage().contains("timed out"), none.getMessage());
      } finally {
        for (Conn c : held) {
          c.close();
        }
      }
    }
  }

  @Test
  void badAddressesAreIllegalArgumentsNamingThem() {
    String[] bad = {
      "127.0.0.1", "127.0.0.1:", "127.0.0.1:http", "127.0.0.1:65536", "::1:80", "[::1]80",
      "[::1:80", "[nothost]:80", "exa mple.com:80", "127.0.0.1:-1", "127.0.0.1:1x"
    };
    for (String a : bad) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Net.listen(a), a);
      assertTrue(e.getMessage().contains("\"" + a + "\""), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> NetTestKit.call(() -> Net.dial(a)), a);
    }
    assertThrows(IllegalArgumentException.class, () -> Net.listen(null));
    assertThrows(
        java.net.UnknownHostException.class, () -> NetTestKit.call(() -> Net.dial("no-such-host.invalid:80")));
  }

  @Test
  void portZeroPicksOneAndAnEmptyHostListensEverywhere() throws Exception {
    try (Listener l = Net.listen(":0")) {
      assertTrue(l.address().getPort() > 0);
      assertTrue(l.address().getAddress().isAnyLocalAddress(), l.address().toString());
      // Reached over IPv4 and IPv6 loopback both.
      Weft.go(() -> { echo(l.accept()); echo(l.accept()); });
      int port = l.address().getPort();
      String r =
          Weft.call(
              () -> {
                String s = "";
                for (String host : new String[] {"127.0.0.1", "[::1]"}) {
                  try (Conn c = Net.dial(host + ":" + port)) {
                    c.write(utf8("hi"));
                    s += readN(c, 2);
                  }
                }
                return s;
              });
      assertEquals("hihi", r);
    }
  }

  /** What one read does: the exception it throws, or how many bytes it read. */
  @Suspendable
  static String readOutcome(Conn c) {
    try {
      return "read " + c.read(ByteBuffer.allocate(10));
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Polls the fiber dump (bounded) until it mentions {@code text}. */
  @Suspendable
  static void waitForDump(String text) {
    long giveUp = System.nanoTime() + 10_000_000_000L;
    while (!Weft.dumpFibers().contains(text)) {
      if (System.nanoTime() > giveUp) {
        throw new AssertionError("no fiber waits on " + text + " in\n" + Weft.dumpFibers());
      }
      Weft.sleep(2);
    }
  }
}
