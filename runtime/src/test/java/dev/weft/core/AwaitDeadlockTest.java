package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.weft.Channel;
import dev.weft.Weft;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Weft.await as the deadlock detector sees it: whatever holds a stage may complete it, a plain
 * thread or a fiber, unseen by the scheduler, so fibers awaiting one are never deadlocked.
 */
class AwaitDeadlockTest {

  @Test
  void fibersAwaitingAStageAreWakeable() {
    assertTimeoutPreemptively(
        ParkerTest.HANG_GUARD,
        () -> {
          CompletableFuture<String> stage = new CompletableFuture<>();
          long checksBefore = DeadlockDetector.quiescentChecks;
          Thread completer =
              new Thread(
                  () -> {
                    // Until the detector has looked at the idle scheduler and found main
                    // wakeable (bounded: pending timers of earlier tests delay its look)...
                    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                    while (DeadlockDetector.quiescentChecks == checksBefore
                        && System.nanoTime() < giveUp) {
                      Thread.onSpinWait();
                    }
                    // ...and then for longer than the grace in which a deadlock wrongly found
                    // would have been reported.
                    Weft.sleep(TimeUnit.NANOSECONDS.toMillis(3 * DeadlockDetector.GRACE_NANOS));
                    stage.complete("late");
                  });
          completer.start();
          String both =
              Weft.call(
                  () -> {
                    Channel<String> other = Channel.make(1);
                    Weft.go(() -> other.send(Weft.await(stage.thenApply(s -> s + "!"))));
                    return Weft.await(stage) + other.receive();
                  });
          completer.join();
          assertEquals("latelate!", both);
        });
  }
}
