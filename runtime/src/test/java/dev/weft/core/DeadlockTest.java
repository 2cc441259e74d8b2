package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Channel;
import dev.weft.DeadlockException;
import dev.weft.Suspendable;
import dev.weft.Weft;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Go's "all goroutines are asleep - deadlock!", as Weft.run reports it. */
class DeadlockTest {

  @Test
  void theReportListsEveryBlockedFiberWhatItWaitsOnAndWhere() {
    DeadlockException e =
        assertTimeoutPreemptively(
            ParkerTest.HANG_GUARD,
            () ->
                assertThrows(
                    DeadlockException.class,
                    () ->
                        Weft.run(
                            () -> {
                              Channel<Integer> ab = Channel.make();
                              Channel<Integer> ba = Channel.make();
                              Weft.go(() -> waitForB(ab, ba));
                              Weft.go(() -> waitForA(ab, ba));
                              mainWaits(Channel.make());
                            })));
    String m = e.getMessage();
    assertTrue(m.startsWith("all fibers are asleep - deadlock!"), m);
    // Fibers stuck in earlier deadlocks of this JVM stay alive, and are listed too.
    assertTrue(count(m, "[parked on ") >= 3, m);
    assertTrue(m.contains("DeadlockTest.waitForB(DeadlockTest.java:"), m);
    assertTrue(m.contains("DeadlockTest.waitForA(DeadlockTest.java:"), m);
    assertTrue(m.contains("DeadlockTest.mainWaits(DeadlockTest.java:"), m);
    assertTrue(m.contains("receive from Channel"), m);
  }

  @Suspendable
  static void waitForB(Channel<Integer> ab, Channel<Integer> ba) {
    ba.receive();
    ab.send(1);
  }

  @Suspendable
  static void waitForA(Channel<Integer> ab, Channel<Integer> ba) {
    ab.receive();
    ba.send(1);
  }

  @Suspendable
  static void mainWaits(Channel<Integer> nobody) {
    nobody.receive();
  }

  @Test
  void aNestedRunThatDeadlocksFailsTheOuterPlainCaller() {
    DeadlockException e =
        assertTimeoutPreemptively(
            ParkerTest.HANG_GUARD,
            () ->
                assertThrows(
                    DeadlockException.class,
                    () -> Weft.run(() -> Weft.run(() -> mainWaits(Channel.make())))));
    assertTrue(e.getMessage().contains("Weft.run of fiber-"), e.getMessage());
    assertTrue(e.getMessage().contains("mainWaits"), e.getMessage());
  }

  @Test
  void aPendingTimerIsNotADeadlock() {
    assertTimeoutPreemptively(
        ParkerTest.HANG_GUARD,
        () ->
            assertEquals(
                "late",
                Weft.call(
                    () -> {
                      Channel<String> ch = Channel.make();
                      Weft.go(
                          () -> {
                            Weft.sleep(Duration.ofMillis(50));
                            ch.send("late");
                          });
                      return ch.receive(); // everybody waits, but a timer will fire
                    })));
  }

  @Test
  void theDetectorDoesNotStopOtherMainsThatAreFine() {
    assertTimeoutPreemptively(
        ParkerTest.HANG_GUARD,
        () -> {
          assertThrows(DeadlockException.class, () -> Weft.run(() -> Channel.make().receive()));
          // The stuck fiber stays (a blocked fiber is never collected), and later runs work.
          assertEquals(5, (int) Weft.call(() -> 5));
        });
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
