package dev.weft.core;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The monitor's stale poll (Go's sysmon netpoll) is for readiness that waits behind fibers that
 * compute. While the worker is still running the fibers an earlier poll readied, a poll finds
 * their sockets readable with nobody waiting (their fibers are queued), drops their read interest
 * and adds nothing the worker would not find itself when it runs out of work. At 10,000
 * connections a poll round outlasted the stale period and the monitor polled every round.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetStalePollTest {
  private static final int CONNS = 60;
  /** Each readied fiber computes this long: the batch takes 180 ms, 18 stale periods. */
  private static final long WORK_NANOS = 3_000_000L;

  @Test
  void noStalePollsWhileTheWorkerRunsThroughWhatTheLastPollReadied() throws Exception {
    int procs = Weft.setMaxProcs(1);
    try (ParkedReaders readers = ParkedReaders.open(CONNS, WORK_NANOS)) {
      NetPoller p = NetPoller.active();
      long before = p.selects;
      for (Conn c : readers.clients) {
        c.write(new byte[] {1}); // a plain thread: all sixty readable within a millisecond or so
      }
      for (int i = 0; i < CONNS; i++) {
        readers.ran.receive();
      }
      long selects = p.selects - before;
      // The worker polls when it runs out of work: once or twice while the bytes come in, once
      // after the batch. Polling every stale period instead makes about 18 more.
      assertTrue(selects <= 8, selects + " selects while one batch of readied fibers ran");
    } finally {
      Weft.setMaxProcs(procs);
    }
  }

  /**
   * The other side: a worker that never runs out of work (one fiber computes, and is preempted
   * back into the queue) never polls itself, and with no readied fiber left to run the monitor
   * polls, so that the waiting reader gets its bytes.
   */
  @Test
  void aReaderIsServedWhileAFiberComputesOnTheOnlyWorker() throws Exception {
    int procs = Weft.setMaxProcs(1);
    try (Listener l = Net.listen("127.0.0.1:0");
        Conn client = Net.dial("127.0.0.1:" + l.address().getPort());
        Conn server = l.accept()) {
      AtomicBoolean read = new AtomicBoolean();
      Channel<Integer> got = Channel.make(1);
      Weft.go(
          () -> {
            got.send(server.read(ByteBuffer.allocate(16)));
            read.set(true);
          });
      assertTrue(
          Eventually.until(
              () -> Weft.dumpFibers().contains("parked on read on tcp"), Duration.ofSeconds(20)),
          "the reader never waited");
      Channel<Boolean> computing = Channel.make(1);
      Weft.go(
          () -> {
            computing.send(true);
            while (!read.get()) {
              Thread.onSpinWait();
            }
          });
      computing.receive();
      client.write(new byte[] {1, 2, 3});
      assertEquals(3, got.receive());
    } finally {
      Weft.setMaxProcs(procs);
    }
  }
}
