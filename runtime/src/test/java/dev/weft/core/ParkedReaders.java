package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Channel;
import dev.weft.Eventually;
import dev.weft.Weft;
import dev.weft.net.Conn;
import dev.weft.net.Listener;
import dev.weft.net.Net;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Where the poller's scheduling tests start: loopback connections whose server ends each have a
 * fiber parked in a read. When its read returns, reader {@code i} computes for the given time and
 * then sends {@code i} on {@link #ran}, so a test sees the order in which they ran. Closing closes
 * every connection; the readers have ended by then if the test wrote to each client.
 */
final class ParkedReaders implements AutoCloseable {
  /** The client ends, reader {@code i}'s peer at index {@code i}. */
  final Conn[] clients;

  /** Each reader's index, sent once its read returned and it computed. */
  final Channel<Integer> ran;

  private final Conn[] servers;

  private ParkedReaders(int n) {
    clients = new Conn[n];
    servers = new Conn[n];
    ran = Channel.make(n);
  }

  /**
   * Opens {@code n} connections, starts their readers and returns once all of them wait in their
   * read, as the fiber dump tells.
   */
  static ParkedReaders open(int n, long computeNanos) throws Exception {
    ParkedReaders r = new ParkedReaders(n);
    try (Listener l = Net.listen("127.0.0.1:0")) {
      String at = "127.0.0.1:" + l.address().getPort();
      for (int i = 0; i < n; i++) {
        r.clients[i] = Net.dial(at);
        Conn server = l.accept();
        r.servers[i] = server;
        int id = i;
        Weft.go(
            () -> {
              server.read(ByteBuffer.allocate(16));
              long end = System.nanoTime() + computeNanos;
              while (System.nanoTime() - end < 0) {
                Thread.onSpinWait();
              }
              r.ran.send(id);
            });
      }
    } catch (Exception | Error e) {
      r.close();
      throw e;
    }
    assertTrue(
        Eventually.until(
            () -> count(Weft.dumpFibers(), "parked on read on tcp") == n, Duration.ofSeconds(20)),
        "the readers never all waited");
    return r;
  }

  @Override
  public void close() {
    for (int i = 0; i < clients.length; i++) {
      closeQuietly(clients[i]);
      closeQuietly(servers[i]);
    }
  }

  private static void closeQuietly(Conn c) {
    if (c != null) {
      c.close();
    }
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
