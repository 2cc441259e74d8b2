package dev.weft.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Channel;
import dev.weft.Eventually;
import dev.weft.Weft;
import dev.weft.net.Conn;
import dev.weft.net.Listener;
import dev.weft.net.Net;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * After a read that emptied its socket, a fiber's next read waits for readiness before it reads
 * (Conn's drained hint). Bytes that came in the meantime must still be found, also when the poller
 * saw them with nobody waiting and took the socket's read interest out.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetDrainedReadTest {
  @Test
  void bytesThatCameWhileNobodyReadAreFoundByTheNextRead() throws Exception {
    int procs = Weft.setMaxProcs(1);
    try (Listener l = Net.listen("127.0.0.1:0");
        Conn client = Net.dial(address(l));
        Conn server = l.accept()) {
      Channel<String> resume = Channel.make();
      Channel<String> got = Channel.make(2);
      Weft.go(
          () -> {
            got.send(readOnce(server)); // "first" into 64 bytes: a short read, the socket drained
            resume.receive(); // "second" arrives while the fiber waits here
            got.send(readOnce(server)); // waits for readiness first: must still find it
          });
      // The reader waits before "first" comes, so that the socket's read interest is set.
      assertTrue(
          Eventually.until(
              () -> Weft.dumpFibers().contains("parked on read on tcp"), Duration.ofSeconds(20)),
          "the reader never waited");
      client.write("first".getBytes(UTF_8));
      assertEquals("first", got.receive());
      NetPoller p = NetPoller.active();
      long before = p.selects;
      client.write("second".getBytes(UTF_8));
      // The idle worker's select returns with the bytes and nobody waiting for them, which takes
      // the read interest out; once it selects again, that has happened.
      assertTrue(
          Eventually.until(() -> p.selects > before, Duration.ofSeconds(20)), "no select reported");
      resume.send("go");
      assertEquals("second", got.receive());
    } finally {
      Weft.setMaxProcs(procs);
    }
  }

  @dev.weft.Suspendable
  private static String readOnce(Conn c) throws java.io.IOException {
    ByteBuffer buf = ByteBuffer.allocate(64);
    int n = c.read(buf);
    return new String(buf.array(), 0, n, UTF_8);
  }

  private static String address(Listener l) {
    InetSocketAddress a = l.address();
    return "127.0.0.1:" + a.getPort();
  }
}
