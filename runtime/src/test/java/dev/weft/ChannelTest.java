package dev.weft;

import static dev.weft.SyncTestKit.atProcs;
import static dev.weft.SyncTestKit.awaitCondition;
import static dev.weft.SyncTestKit.joinAll;
import static dev.weft.SyncTestKit.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.SyncTestKit.Party;
import dev.weft.SyncTestKit.Side;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Sending and receiving, unbuffered and buffered, between fibers and plain threads. */
class ChannelTest {
  private static final int N = 2_000;

  private static List<Integer> upTo(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  @ParameterizedTest(name = "maxprocs={0} sender={1} receiver={2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void unbufferedChannelDeliversEveryValueInOrder(int procs, Side sender, Side receiver) {
    atProcs(
        procs,
        () -> {
          Channel<Integer> ch = Channel.make();
          List<Integer> got = new ArrayList<>();
          Party s =
              start(
                  sender,
                  () -> {
                    for (int i = 0; i < N; i++) {
                      ch.send(i);
                    }
                    ch.close();
                  });
          Party r =
              start(
                  receiver,
                  () -> {
                    for (Integer v; (v = ch.receive()) != null; ) {
                      got.add(v);
                    }
                  });
          joinAll(s, r);
          assertEquals(upTo(N), got);
        });
  }

  @ParameterizedTest(name = "maxprocs={0} sender={1} receiver={2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void bufferedChannelDeliversEveryValueInOrder(int procs, Side sender, Side receiver) {
    atProcs(
        procs,
        () -> {
          Channel<Integer> ch = Channel.make(7);
          List<Integer> got = new ArrayList<>();
          Party s =
              start(
                  sender,
                  () -> {
                    for (int i = 0; i < N; i++) {
                      ch.send(i);
                    }
                    ch.close();
                  });
          Party r = start(receiver, () -> ch.forEach(got::add));
          joinAll(s, r);
          assertEquals(upTo(N), got);
        });
  }

  @ParameterizedTest(name = "maxprocs={0} ping={1} pong={2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void pingPongRoundTrips(int procs, Side ping, Side pong) {
    atProcs(
        procs,
        () -> {
          Channel<Integer> there = Channel.make();
          Channel<Integer> back = Channel.make();
          Party echo =
              start(
                  pong,
                  () -> {
                    for (Integer v; (v = there.receive()) != null; ) {
                      back.send(v + 1);
                    }
                  });
          Party p =
              start(
                  ping,
                  () -> {
                    int v = 0;
                    for (int i = 0; i < N; i++) {
                      there.send(v);
                      v = back.receive();
                    }
                    there.close();
                    assertEquals(N, v);
                  });
          joinAll(p, echo);
        });
  }

  @ParameterizedTest(name = "maxprocs={0} sender={1} receiver={2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void unbufferedSendWaitsForAReceiver(int procs, Side sender, Side receiver) {
    atProcs(
        procs,
        () -> {
          Channel<String> ch = Channel.make();
          Party s = start(sender, () -> ch.send("hello"));
          awaitCondition(() -> ch.waitingSenders() == 1);
          assertFalse(s.isFinished(), "an unbuffered send must wait for a receiver");
          String[] got = new String[1];
          Party r = start(receiver, () -> got[0] = ch.receive());
          joinAll(s, r);
          assertEquals("hello", got[0]);
          assertEquals(0, ch.waitingSenders());
        });
  }

  @ParameterizedTest(name = "maxprocs={0} sender={1} receiver={2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void receiveWaitsForASender(int procs, Side sender, Side receiver) {
    atProcs(
        procs,
        () -> {
          Channel<String> ch = Channel.make(3);
          String[] got = new String[1];
          Party r = start(receiver, () -> got[0] = ch.receive());
          awaitCondition(() -> ch.waitingReceivers() == 1);
          assertFalse(r.isFinished(), "a receive from an empty channel must wait");
          Party s = start(sender, () -> ch.send("world"));
          joinAll(s, r);
          assertEquals("world", got[0]);
          assertEquals(0, ch.len(), "a value handed to a waiting receiver skips the buffer");
        });
  }

  @ParameterizedTest(name = "maxprocs={0} sender={1} receiver={2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void sendToAFullBufferWaitsAndKeepsOrder(int procs, Side sender, Side receiver) {
    atProcs(
        procs,
        () -> {
          Channel<Integer> ch = Channel.make(3);
          for (int i = 0; i < 3; i++) {
            assertTrue(ch.trySend(i));
          }
          assertFalse(ch.trySend(99), "a full buffer takes no more");
          assertEquals(3, ch.len());
          Party s = start(sender, () -> ch.send(3));
          awaitCondition(() -> ch.waitingSenders() == 1);
          List<Integer> got = new ArrayList<>();
          Party r =
              start(
                  receiver,
                  () -> {
                    for (int i = 0; i < 4; i++) {
                      got.add(ch.receive());
                    }
                  });
          joinAll(s, r);
          assertEquals(List.of(0, 1, 2, 3), got);
          assertEquals(0, ch.len());
        });
  }

  @Test
  void lenAndCapDescribeTheBuffer() {
    Channel<String> ch = Channel.make(2);
    assertEquals(2, ch.cap());
    assertEquals(0, ch.len());
    ch.trySend("a");
    assertEquals(1, ch.len());
    assertEquals("a", ch.tryReceive());
    assertEquals(0, ch.len());
    Channel<String> unbuffered = Channel.make();
    assertEquals(0, unbuffered.cap());
    assertEquals(0, Channel.make(0).cap());
  }

  @Test
  void bufferWrapsAroundManyTimes() {
    Channel<Integer> ch = Channel.make(5);
    int next = 0;
    int expected = 0;
    for (int round = 0; round < 100; round++) {
      for (int i = 0; i < 1 + round % 5; i++) {
        assertTrue(ch.trySend(next++));
      }
      while (ch.len() > 0) {
        assertEquals(expected++, ch.tryReceive());
      }
    }
    assertEquals(next, expected);
  }

  @Test
  void tryOperationsNeverWait() {
    Channel<String> ch = Channel.make();
    assertNull(ch.tryReceive(), "nothing to receive");
    assertFalse(ch.trySend("x"), "no receiver waiting");
    ch.close();
    assertNull(ch.tryReceive(), "closed and drained");
  }

  @ParameterizedTest(name = "maxprocs={0} receiver={1}")
  @MethodSource("dev.weft.SyncTestKit#procsAndSide")
  void trySendHandsTheValueToAWaitingReceiver(int procs, Side receiver) {
    atProcs(
        procs,
        () -> {
          Channel<String> ch = Channel.make();
          String[] got = new String[1];
          Party r = start(receiver, () -> got[0] = ch.receive());
          awaitCondition(() -> ch.waitingReceivers() == 1);
          assertTrue(ch.trySend("direct"));
          r.join();
          assertEquals("direct", got[0]);
        });
  }

  @ParameterizedTest(name = "maxprocs={0} sender={1}")
  @MethodSource("dev.weft.SyncTestKit#procsAndSide")
  void tryReceiveTakesTheValueOfAWaitingSender(int procs, Side sender) {
    atProcs(
        procs,
        () -> {
          Channel<String> ch = Channel.make();
          Party s = start(sender, () -> ch.send("offered"));
          awaitCondition(() -> ch.waitingSenders() == 1);
          assertEquals("offered", ch.tryReceive());
          s.join();
        });
  }

  @ParameterizedTest(name = "maxprocs={0} side={1}")
  @MethodSource("dev.weft.SyncTestKit#procsAndSide")
  void forEachPropagatesTheBodysExceptionUnchanged(int procs, Side side) {
    atProcs(
        procs,
        () -> {
          Channel<Integer> ch = Channel.make(3);
          ch.send(1);
          ch.send(2);
          IOException boom = new IOException("boom");
          List<Integer> seen = new ArrayList<>();
          Party p =
              start(
                  side,
                  () ->
                      ch.forEach(
                          v -> {
                            seen.add(v);
                            if (v == 2) {
                              throw boom;
                            }
                          }));
          assertSame(boom, p.joinFailure());
          assertEquals(List.of(1, 2), seen);
        });
  }

  @ParameterizedTest(name = "maxprocs={0} side={1}")
  @MethodSource("dev.weft.SyncTestKit#procsAndSide")
  void forEachBodyMaySuspend(int procs, Side side) {
    atProcs(
        procs,
        () -> {
          Channel<Integer> in = Channel.make();
          Channel<Integer> out = Channel.make();
          Party squarer =
              start(
                  side,
                  () -> {
                    in.forEach(v -> out.send(v * v));
                    out.close();
                  });
          Party feeder =
              start(
                  Side.FIBER,
                  () -> {
                    for (int i = 1; i <= 100; i++) {
                      in.send(i);
                    }
                    in.close();
                  });
          long sum = 0;
          for (Integer v; (v = out.receive()) != null; ) {
            sum += v;
          }
          joinAll(squarer, feeder);
          assertEquals(100L * 101 * 201 / 6, sum);
        });
  }

  @Test
  void badArgumentsAreRejectedWithAClearMessage() {
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> Channel.make(-1));
    assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
    Channel<String> ch = Channel.make(1);
    NullPointerException nul = assertThrows(NullPointerException.class, () -> ch.send(null));
    assertTrue(nul.getMessage().contains("non-null"), nul.getMessage());
    assertThrows(NullPointerException.class, () -> ch.trySend(null));
    assertThrows(NullPointerException.class, () -> ch.forEach(null));
    assertEquals(0, ch.len(), "a rejected send leaves nothing behind");
  }

  @Test
  void toStringShowsTheState() {
    Channel<String> ch = Channel.make(2);
    ch.trySend("a");
    assertTrue(ch.toString().startsWith("Channel[cap=2, len=1]@"), ch.toString());
    ch.close();
    assertTrue(ch.toString().contains("closed"), ch.toString());
    assertTrue(Channel.make().toString().startsWith("Channel[unbuffered]@"));
  }
}
