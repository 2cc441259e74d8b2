package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Channel;
import dev.weft.Weft;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The detector's grace period, with its clock held still: a plain thread that first touches main's
 * channel after the detector has found the deadlock candidate, but within the grace period, is
 * not a deadlock. No sleeping: the thread waits for the candidate itself.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeadlockGraceTest {
  @Test
  void aPlainThreadThatSendsAfterTheCandidateWasFoundIsNotADeadlock() throws Exception {
    long before = DeadlockDetector.candidatesFound;
    long checksBefore = DeadlockDetector.quiescentChecks;
    DeadlockDetector.clock = () -> 0L; // the grace period never runs out
    try {
      Channel<String> greeting = Channel.make();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread late =
          new Thread(
              () -> {
                try {
                  // Never touches the channel before its send: the detector sees a deadlock
                  // (or, when a fiber left by another test may still be woken from outside, no
                  // deadlock at all: then too the send must simply get through).
                  while (DeadlockDetector.candidatesFound == before
                      && DeadlockDetector.quiescentChecks == checksBefore) {
                    Thread.onSpinWait();
                  }
                  greeting.send("hello");
                } catch (Throwable t) {
                  failure.set(t);
                }
              });
      late.start();
      assertEquals("hello", Weft.call(greeting::receive));
      late.join();
      assertEquals(null, failure.get());
    } finally {
      DeadlockDetector.clock = System::nanoTime;
    }
  }
}
