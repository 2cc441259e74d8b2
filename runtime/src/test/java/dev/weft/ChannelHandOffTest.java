package dev.weft;

import static dev.weft.SyncTestKit.atProcs;
import static dev.weft.SyncTestKit.joinAll;
import static dev.weft.SyncTestKit.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.weft.SyncTestKit.Party;
import dev.weft.SyncTestKit.Side;
import dev.weft.core.Parker;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A fiber that waits on a channel commits its park under the channel's lock with plain stores
 * (Fiber.commitParkLocked), and keeps nothing alive across its suspension. These tests hammer the
 * paths that shortcut leaves to the fallback: unparks that are not the channel's, arriving before,
 * during and after the commit, which wake the fiber early or leave it a permit.
 */
class ChannelHandOffTest {
  private static final int ROUNDS = 20_000;

  @ParameterizedTest(name = "maxprocs={0} disturber={1}")
  @MethodSource("dev.weft.SyncTestKit#procsAndSide")
  void strayUnparksNeitherLoseNorDuplicateAValue(int procs, Side disturber) {
    atProcs(
        procs,
        () -> {
          Channel<Integer> there = Channel.make();
          Channel<Integer> back = Channel.make();
          AtomicReference<Parker> pingParker = new AtomicReference<>();
          AtomicReference<Parker> pongParker = new AtomicReference<>();
          Party pong =
              start(
                  Side.FIBER,
                  () -> {
                    pongParker.set(Parker.current());
                    int expected = 0;
                    for (Integer v; (v = there.receive()) != null; expected++) {
                      assertEquals(expected, v, "values arrive once each, in order");
                      back.send(v);
                    }
                    assertEquals(ROUNDS, expected);
                  });
          Party ping =
              start(
                  Side.FIBER,
                  () -> {
                    pingParker.set(Parker.current());
                    for (int i = 0; i < ROUNDS; i++) {
                      there.send(i);
                      assertEquals(i, back.receive(), "the echo of the value just sent");
                    }
                    there.close();
                  });
          Party noise =
              start(
                  disturber,
                  () -> {
                    while (!(ping.isFinished() && pong.isFinished())) {
                      Parker a = pingParker.get();
                      Parker b = pongParker.get();
                      if (a != null) {
                        a.unpark();
                      }
                      if (b != null) {
                        b.unpark();
                      }
                      Weft.gosched(); // on a fiber at maxprocs 1, let the pair run
                    }
                  });
          joinAll(ping, pong, noise);
        });
  }

  @ParameterizedTest(name = "maxprocs={0} disturber={1}")
  @MethodSource("dev.weft.SyncTestKit#procsAndSide")
  void aStrayUnparkDoesNotEndASendOrACloseEarly(int procs, Side disturber) {
    atProcs(
        procs,
        () -> {
          Channel<String> ch = Channel.make();
          AtomicReference<Parker> waiting = new AtomicReference<>();
          Party sender =
              start(
                  Side.FIBER,
                  () -> {
                    waiting.set(Parker.current());
                    ch.send("only after a receiver came");
                    assertNull(ch.receive(), "closed: woken by the close, not by the noise");
                  });
          Party noise =
              start(
                  disturber,
                  () -> {
                    // Plenty of stray unparks while the send waits; it must keep waiting.
                    for (int i = 0; i < 2_000; i++) {
                      Parker p = waiting.get();
                      if (p != null) {
                        p.unpark();
                      }
                      Weft.gosched();
                    }
                  });
          noise.join();
          assertFalse(sender.isFinished(), "the send is still waiting");
          assertEquals("only after a receiver came", ch.receive());
          SyncTestKit.awaitCondition(() -> ch.waitingReceivers() == 1);
          ch.close();
          sender.join();
        });
  }

  @ParameterizedTest(name = "maxprocs={0} sender={1}")
  @MethodSource("dev.weft.SyncTestKit#procsAndSide")
  void aWaiterIsParkedBeforeItsSenderCanSeeIt(int procs, Side sender) {
    // A sender that spins on the lock takes it the moment the receiver releases it: if the
    // receiver committed its park only after that, the sender's wake-up could be lost.
    int n = 100_000;
    atProcs(
        procs,
        () -> {
          Channel<Integer> ch = Channel.make();
          Party s =
              start(
                  sender,
                  () -> {
                    for (int i = 0; i < n; i++) {
                      ch.send(i);
                    }
                    ch.close();
                  });
          Party r =
              start(
                  Side.FIBER,
                  () -> {
                    int expected = 0;
                    for (Integer v; (v = ch.receive()) != null; expected++) {
                      assertEquals(expected, v);
                    }
                    assertEquals(n, expected);
                  });
          joinAll(s, r);
        });
  }
}
