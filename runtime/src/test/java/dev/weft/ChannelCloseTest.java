package dev.weft;

import static dev.weft.SyncTestKit.atProcs;
import static dev.weft.SyncTestKit.awaitCondition;
import static dev.weft.SyncTestKit.joinAll;
import static dev.weft.SyncTestKit.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.SyncTestKit.Party;
import dev.weft.SyncTestKit.Side;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Closing, as Go defines it: drain then zero values, panics become ChannelClosedException. */
class ChannelCloseTest {

  @ParameterizedTest(name = "maxprocs={0} receivers={1}/{2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void closeWakesEveryWaitingReceiverWithNull(int procs, Side a, Side b) {
    atProcs(
        procs,
        () -> {
          Channel<String> ch = Channel.make();
          Object[] got = {"unset", "unset", "unset"};
          Party r0 = start(a, () -> got[0] = ch.receive());
          Party r1 = start(b, () -> got[1] = ch.receive());
          Party r2 = start(a, () -> got[2] = ch.receive());
          awaitCondition(() -> ch.waitingReceivers() == 3);
          ch.close();
          joinAll(r0, r1, r2);
          assertNull(got[0]);
          assertNull(got[1]);
          assertNull(got[2]);
          assertEquals(0, ch.waitingReceivers());
        });
  }

  @ParameterizedTest(name = "maxprocs={0} senders={1}/{2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void closeWakesEveryWaitingSenderWithChannelClosedException(int procs, Side a, Side b) {
    atProcs(
        procs,
        () -> {
          Channel<String> ch = Channel.make(1);
          ch.send("buffered");
          Party s0 = start(a, () -> ch.send("late 0"));
          Party s1 = start(b, () -> ch.send("late 1"));
          awaitCondition(() -> ch.waitingSenders() == 2);
          ch.close();
          assertInstanceOf(ChannelClosedException.class, s0.joinFailure());
          assertInstanceOf(ChannelClosedException.class, s1.joinFailure());
          assertEquals("buffered", ch.receive(), "buffered values survive the close");
          assertNull(ch.receive());
        });
  }

  @ParameterizedTest(name = "maxprocs={0} sender={1} receiver={2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void receiversDrainTheBufferThenGetNull(int procs, Side sender, Side receiver) {
    atProcs(
        procs,
        () -> {
          Channel<Integer> ch = Channel.make(10);
          Party s =
              start(
                  sender,
                  () -> {
                    for (int i = 0; i < 10; i++) {
                      ch.send(i);
                    }
                    ch.close();
                  });
          s.join();
          assertTrue(ch.isClosed());
          assertEquals(10, ch.len());
          List<Integer> got = new ArrayList<>();
          Party r =
              start(
                  receiver,
                  () -> {
                    for (int i = 0; i < 12; i++) {
                      got.add(ch.receive());
                    }
                  });
          r.join();
          List<Integer> expected = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
          expected.add(null);
          expected.add(null);
          assertEquals(expected, got);
        });
  }

  @ParameterizedTest(name = "maxprocs={0} side={1}")
  @MethodSource("dev.weft.SyncTestKit#procsAndSide")
  void sendingOnAClosedChannelThrows(int procs, Side side) {
    atProcs(
        procs,
        () -> {
          Channel<String> ch = Channel.make(5);
          ch.close();
          Party p = start(side, () -> ch.send("x"));
          ChannelClosedException e =
              assertInstanceOf(ChannelClosedException.class, p.joinFailure());
          assertTrue(e.getMessage().contains("closed"), e.getMessage());
          assertThrows(ChannelClosedException.class, () -> ch.trySend("y"));
          assertEquals(0, ch.len());
        });
  }

  @Test
  void closingTwiceThrows() {
    Channel<String> ch = Channel.make();
    assertFalse(ch.isClosed());
    ch.close();
    assertTrue(ch.isClosed());
    ChannelClosedException e = assertThrows(ChannelClosedException.class, ch::close);
    assertTrue(e.getMessage().contains("close"), e.getMessage());
    assertTrue(ch.isClosed(), "still closed, still usable for receives");
    assertNull(ch.tryReceive());
  }

  @ParameterizedTest(name = "maxprocs={0} side={1}")
  @MethodSource("dev.weft.SyncTestKit#procsAndSide")
  void forEachEndsWhenTheChannelIsClosedAndDrained(int procs, Side side) {
    atProcs(
        procs,
        () -> {
          Channel<Integer> ch = Channel.make(2);
          long[] sum = {0};
          Party r = start(side, () -> ch.forEach(v -> sum[0] += v));
          for (int i = 1; i <= 100; i++) {
            ch.send(i);
          }
          ch.close();
          r.join();
          assertEquals(5050, sum[0]);
        });
  }

  @ParameterizedTest(name = "maxprocs={0} closer={1} receiver={2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void closeFromAnotherPartyEndsARangeLoop(int procs, Side closer, Side receiver) {
    atProcs(
        procs,
        () -> {
          Channel<Integer> ch = Channel.make();
          int[] count = {0};
          Party r = start(receiver, () -> ch.forEach(v -> count[0]++));
          Party c =
              start(
                  closer,
                  () -> {
                    for (int i = 0; i < 50; i++) {
                      ch.send(i);
                    }
                    ch.close();
                  });
          joinAll(c, r);
          assertEquals(50, count[0]);
        });
  }
}
