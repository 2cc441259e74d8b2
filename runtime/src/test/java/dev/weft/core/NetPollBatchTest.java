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
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The fibers one poll readies run in the order the poller reported their sockets, as Go's netpoll
 * injects its list: none jumps ahead through the runNext slot.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetPollBatchTest {
  private static final int CONNS = 5;

  @Test
  @EnabledOnOs(OS.LINUX) // epoll reports sockets in the order they became ready
  void fibersReadiedByOnePollRunInTheOrderTheirSocketsBecameReady() throws Exception {
    int procs = Weft.setMaxProcs(1);
    List<Conn> all = new ArrayList<>();
    try (Listener l = Net.listen("127.0.0.1:0")) {
      String at = "127.0.0.1:" + l.address().getPort();
      Conn[] clients = new Conn[CONNS];
      Channel<Integer> ran = Channel.make(CONNS);
      for (int i = 0; i < CONNS; i++) {
        clients[i] = Net.dial(at);
        Conn server = l.accept();
        all.add(clients[i]);
        all.add(server);
        int id = i;
        Weft.go(
            () -> {
              server.read(ByteBuffer.allocate(16));
              ran.send(id);
            });
      }
      assertTrue(
          Eventually.until(
              () -> count(Weft.dumpFibers(), "parked on read on tcp") == CONNS,
              Duration.ofSeconds(20)),
          "the readers never all waited");
      // One fiber on the only worker writes to every client in turn; the worker polls only once
      // it is done, and finds all five readers ready in one batch.
      Weft.call(
          () -> {
            for (Conn c : clients) {
              c.write("x".getBytes(UTF_8));
            }
            return null;
          });
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < CONNS; i++) {
        order.add(ran.receive());
      }
      assertEquals(List.of(0, 1, 2, 3, 4), order);
    } finally {
      for (Conn c : all) {
        c.close();
      }
      Weft.setMaxProcs(procs);
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
