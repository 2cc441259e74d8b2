package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.Weft;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The proof the shape tests rely on must be able to fail: a witness with no suspension, or with a
 * suspension that does not unwind (pinned by a monitor), is never observed.
 */
class WitnessSelfTest extends ShapeTest {

  @Test
  void aWitnessWithoutASuspensionFails() {
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class,
            () ->
                Fibers.run(
                    () -> {
                      Witness w = Witness.arm();
                      w.verify();
                    }));
    // A ticker on a second (compensating) worker may look while the fiber runs: it then finds
    // the saved stack empty, which fails the witness too, with the other message.
    assertTrue(
        e.getMessage().contains("did not unwind")
            || e.getMessage().contains("saved stack held 0 frames"),
        e.getMessage());
  }

  @Test
  void aWitnessAcrossAPinnedYieldFails() {
    Object lock = new Object();
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class,
            () ->
                Fibers.run(
                    () -> {
                      synchronized (lock) {
                        pinnedPause();
                      }
                    }));
    assertTrue(e.getMessage().contains("while this fiber was suspended"), e.getMessage());
  }

  @Suspendable
  private static void pinnedPause() {
    Witness w = Witness.arm();
    for (int i = 0; i < 16; i++) {
      Weft.gosched(); // a monitor is held: this yields the thread but cannot unwind
    }
    w.verify();
  }

  @Test
  void aWitnessAcrossARealSuspensionPasses() {
    Fibers.run(WitnessSelfTest::realPause);
  }

  @Suspendable
  private static void realPause() {
    Witness w = Witness.arm();
    do {
      Weft.gosched();
    } while (w.shouldRetry()); // the scheduler may run this fiber again first now and then
    w.verify();
  }

  /**
   * The partner of a channel operation may run on a second worker before the fiber under test
   * has unwound: it must look again until it finds the saved stack complete, not fail the proof
   * (before it did, a loaded machine's compensating worker failed shape tests now and then with
   * "saved stack held 0 frames"). Two workers make that race common.
   */
  @Test
  void aChannelPartnerOnAnotherWorkerWaitsUntilTheFiberHasUnwound() {
    int before = Weft.setMaxProcs(2);
    try {
      Fibers.run(
          () -> {
            for (int i = 0; i < 200; i++) {
              Pause.receive("x");
              Pause.send();
            }
          });
    } finally {
      Weft.setMaxProcs(before);
    }
  }
}
