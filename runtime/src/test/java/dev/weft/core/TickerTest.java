package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The repeating timer behind Weft.tick: fixed-rate deadlines, one heap entry, a clean stop. */
class TickerTest {

  @Test
  void theNextDeadlineIsOnePeriodLaterWhenOnTime() {
    assertEquals(110, Ticker.nextDeadline(100, 10, 100));
    assertEquals(110, Ticker.nextDeadline(100, 10, 109));
  }

  @Test
  void aLateFiringSkipsTheTicksItMissedInsteadOfBursting() {
    assertEquals(140, Ticker.nextDeadline(100, 10, 135)); // 110, 120 and 130 are gone
    assertEquals(140, Ticker.nextDeadline(100, 10, 130));
    assertEquals(-50, Ticker.nextDeadline(-100, 50, -51)); // nanoTime may be negative
  }

  @Test
  void deadlinesFollowTheClockAcrossTheWrapAround() {
    // nanoTime may wrap: the next tick after MAX_VALUE - 5 is MIN_VALUE + 4, still ahead.
    assertEquals(Long.MIN_VALUE + 4, Ticker.nextDeadline(Long.MAX_VALUE - 5, 10, Long.MAX_VALUE - 5));
    assertEquals(Long.MIN_VALUE + 14, Ticker.nextDeadline(Long.MAX_VALUE - 5, 10, Long.MIN_VALUE + 6));
  }

  @Test
  void aTickerIsScheduledWhileItFires() {
    assertTimeoutPreemptively(
        ParkerTest.HANG_GUARD,
        () -> {
          Ticker ticker = new Ticker(1_000_000L);
          CountDownLatch firing = new CountDownLatch(1);
          CountDownLatch release = new CountDownLatch(1);
          ticker.start(
              due -> {
                firing.countDown();
                try {
                  release.await(); // hold the firing: its heap entry is out, the next not yet in
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
          firing.await();
          try {
            // A watcher that waits for the ticker to stop must not see it stopped mid-firing.
            assertTrue(ticker.isScheduled(), "a running ticker, caught while it fires");
          } finally {
            release.countDown();
            ticker.stop();
          }
          assertFalse(ticker.isScheduled());
        });
  }

  @Test
  void aStopDuringTheFiringAddsNoFurtherEntry() {
    assertTimeoutPreemptively(
        ParkerTest.HANG_GUARD,
        () -> {
          Ticker ticker = new Ticker(1_000_000L);
          CountDownLatch fired = new CountDownLatch(1);
          ticker.start(
              due -> {
                ticker.stop(); // the race with close(), made deterministic
                fired.countDown();
              });
          fired.await();
          Thread.sleep(10); // ten periods: a re-added entry would fire again in them
          assertEquals(1, ticker.fires());
          assertFalse(ticker.isScheduled());
        });
  }

  @Test
  void aStoppedTickerNeverStarts() {
    Ticker ticker = new Ticker(1_000_000L);
    ticker.stop();
    ticker.start(due -> {});
    assertFalse(ticker.isScheduled());
    assertThrows(IllegalStateException.class, () -> ticker.start(due -> {}));
  }

  @Test
  void oneEntryAtATimeAndDueTimesNeverInThePast() {
    assertTimeoutPreemptively(
        ParkerTest.HANG_GUARD,
        () -> {
          Ticker ticker = new Ticker(500_000L);
          CountDownLatch five = new CountDownLatch(5);
          long[] lastDue = {Long.MIN_VALUE};
          ticker.start(
              due -> {
                assertTrue(due > lastDue[0], "due times go forwards");
                assertTrue(System.nanoTime() >= due, "fired before it was due");
                lastDue[0] = due;
                five.countDown();
              });
          assertTrue(ticker.isScheduled());
          five.await();
          ticker.stop();
          assertFalse(ticker.isScheduled());
          assertTrue(ticker.fires() >= 5);
        });
  }

  @Test
  void nonPositivePeriodsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Ticker(0));
    assertThrows(IllegalArgumentException.class, () -> new Ticker(-1));
  }
}
