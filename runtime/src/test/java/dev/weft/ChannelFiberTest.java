package dev.weft;

import static dev.weft.SyncTestKit.atProcs;
import static dev.weft.SyncTestKit.awaitCondition;
import static dev.weft.SyncTestKit.joinAll;
import static dev.weft.SyncTestKit.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.SyncTestKit.Party;
import dev.weft.SyncTestKit.Side;
import dev.weft.frame.UninstrumentedFrameError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What is particular to fibers: suspension instead of blocking, pinning, missing instrumentation. */
class ChannelFiberTest {

  @ParameterizedTest(name = "maxprocs={0}")
  @ValueSource(ints = {1, 2})
  void aParkedFiberLeavesItsWorkerToOthers(int procs) {
    atProcs(
        procs,
        () -> {
          // With one worker, the receiver must suspend for the sender to run at all.
          Channel<Integer> ch = Channel.make();
          Channel<Integer> done = Channel.make();
          Weft.go(() -> done.send(ch.receive() + 1));
          Weft.go(() -> ch.send(41));
          assertEquals(42, done.receive());
        });
  }

  @ParameterizedTest(name = "maxprocs={0}")
  @ValueSource(ints = {1, 2})
  void thousandsOfFibersWaitOnOneChannel(int procs) {
    atProcs(
        procs,
        () -> {
          int fibers = 5_000;
          Channel<Integer> work = Channel.make();
          Channel<Integer> results = Channel.make(fibers);
          for (int i = 0; i < fibers; i++) {
            Weft.go(() -> results.send(work.receive() * 2));
          }
          awaitCondition(() -> work.waitingReceivers() == fibers);
          long expected = 0;
          for (int i = 0; i < fibers; i++) {
            work.send(i);
            expected += 2L * i;
          }
          long sum = 0;
          for (int i = 0; i < fibers; i++) {
            sum += results.receive();
          }
          assertEquals(expected, sum);
          assertEquals(0, work.waitingReceivers());
        });
  }

  @ParameterizedTest(name = "maxprocs={0}")
  @ValueSource(ints = {1, 2})
  void thousandsOfFibersWaitToSend(int procs) {
    atProcs(
        procs,
        () -> {
          int fibers = 5_000;
          Channel<Integer> ch = Channel.make(10);
          for (int i = 0; i < fibers; i++) {
            int v = i;
            Weft.go(() -> ch.send(v));
          }
          awaitCondition(() -> ch.waitingSenders() == fibers - 10);
          long sum = 0;
          for (int i = 0; i < fibers; i++) {
            sum += ch.receive();
          }
          assertEquals((long) fibers * (fibers - 1) / 2, sum);
          assertEquals(0, ch.len());
        });
  }

  @ParameterizedTest(name = "maxprocs={0}")
  @ValueSource(ints = {1, 2})
  void aPinnedFiberBlocksItsThreadAndStillGetsItsValue(int procs) {
    atProcs(
        procs,
        () -> {
          Channel<String> ch = Channel.make();
          Object monitor = new Object();
          String[] got = new String[1];
          Party pinned =
              start(
                  Side.FIBER,
                  () -> {
                    synchronized (monitor) {
                      got[0] = ch.receive();
                    }
                  });
          awaitCondition(() -> ch.waitingReceivers() == 1);
          // Another fiber must still run, even at maxprocs 1.
          Party sender = start(Side.FIBER, () -> ch.send("through the pin"));
          joinAll(pinned, sender);
          assertEquals("through the pin", got[0]);
        });
  }

  @ParameterizedTest(name = "maxprocs={0}")
  @ValueSource(ints = {1, 2})
  void anUninstrumentedCallerFailsTheWaitAndLeavesNoWaiterBehind(int procs) {
    atProcs(
        procs,
        () -> {
          Channel<String> ch = Channel.make();
          Party p =
              start(
                  Side.FIBER,
                  () -> {
                    // Runnable.run is not suspendable: the receive cannot unwind through it.
                    Runnable plainReceive = ch::receive;
                    Runnable plainSend = () -> ch.send("never");
                    UninstrumentedFrameError e =
                        assertThrows(UninstrumentedFrameError.class, plainReceive::run);
                    assertTrue(e.getMessage().contains("@dev.weft.Suspendable"), e.getMessage());
                    assertEquals(0, ch.waitingReceivers());
                    assertFalse(ch.trySend("nobody"), "the failed receive must not be queued");
                    assertThrows(UninstrumentedFrameError.class, plainSend::run);
                    assertEquals(0, ch.waitingSenders());
                    // The channel and the fiber still work normally.
                    Weft.go(() -> ch.send("later"));
                    assertEquals("later", ch.receive());
                  });
          p.join();
        });
  }
}
