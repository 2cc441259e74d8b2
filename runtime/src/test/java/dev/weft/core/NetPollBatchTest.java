package dev.weft.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Weft;
import dev.weft.net.Conn;
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
    try (ParkedReaders readers = ParkedReaders.open(CONNS, 0)) {
      // One fiber on the only worker writes to every client in turn; the worker polls only once
      // it is done, and finds all five readers ready in one batch.
      Weft.call(
          () -> {
            for (Conn c : readers.clients) {
              c.write("x".getBytes(UTF_8));
            }
            return null;
          });
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < CONNS; i++) {
        order.add(readers.ran.receive());
      }
      assertEquals(List.of(0, 1, 2, 3, 4), order);
    } finally {
      Weft.setMaxProcs(procs);
    }
  }
}
