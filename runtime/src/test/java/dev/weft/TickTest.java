package dev.weft;

import static dev.weft.WeftTest.atProcs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.Ticker;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Weft.tick, Go's time.Tick: a time every period on a channel of capacity 1, missed by a slow
 * receiver, stopped by close(). Every assertion here is a bound that holds however loaded the
 * machine is (ticks come no earlier than due, whole periods apart); none depends on a tick coming
 * soon enough.
 */
class TickTest {
  private static final long PERIOD_NANOS = 2_000_000L;
  private static final Duration PERIOD = Duration.ofNanos(PERIOD_NANOS);

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void ticksComeInOrderWholePeriodsApartAndNeverEarly(int procs) {
    atProcs(
        procs,
        () ->
            Weft.run(
                () -> {
                  long start = System.nanoTime();
                  Channel<Instant> ticks = Weft.tick(PERIOD);
                  assertEquals(1, ticks.cap());
                  Instant previous = null;
                  for (int k = 1; k <= 8; k++) {
                    Instant t = ticks.receive();
                    long received = System.nanoTime();
                    assertTrue(
                        received - start >= k * PERIOD_NANOS,
                        "tick " + k + " came " + (received - start) + " ns after the start");
                    if (previous != null) {
                      long gap = Duration.between(previous, t).toNanos();
                      assertTrue(gap > 0 && gap % PERIOD_NANOS == 0, "gap of " + gap + " ns");
                    }
                    previous = t;
                  }
                  ticks.close();
                  assertFalse(tickerOf(ticks).isScheduled());
                }));
  }

  @Test
  void aSlowReceiverMissesTicksAndFindsOneWaiting() {
    atProcs(
        2,
        () ->
            Weft.run(
                () -> {
                  Channel<Instant> ticks = Weft.tick(PERIOD);
                  Ticker ticker = tickerOf(ticks);
                  while (ticker.fires() < 4) {
                    Weft.sleep(1); // not receiving: ticks 2, 3 and 4 find the first unread
                  }
                  assertEquals(1, ticks.len());
                  Instant first = ticks.receive();
                  Instant next = ticks.receive(); // from the fifth firing or a later one
                  assertTrue(
                      Duration.between(first, next).toNanos() >= 4 * PERIOD_NANOS,
                      first + " then " + next);
                  ticks.close();
                }));
  }

  @Test
  void closeStopsTheTimerAndNoMoreTicksAreSent() {
    atProcs(
        2,
        () ->
            Weft.run(
                () -> {
                  Channel<Instant> ticks = Weft.tick(PERIOD);
                  Ticker ticker = tickerOf(ticks);
                  ticks.receive();
                  ticks.receive();
                  assertTrue(ticker.isScheduled());
                  ticks.close();
                  assertFalse(ticker.isScheduled(), "the timer is still in the heap");
                  long fires = ticker.fires();
                  // Long enough for several periods: a timer left running would fire in them.
                  Weft.sleep(Duration.ofNanos(10 * PERIOD_NANOS));
                  assertEquals(fires, ticker.fires());
                  assertFalse(ticker.isScheduled());
                  ticks.tryReceive(); // a tick sent before the close may still be buffered
                  assertNull(ticks.receive());
                  assertThrows(ChannelClosedException.class, ticks::close);
                }));
  }

  @Test
  void closeWakesAFiberWaitingForTheNextTick() {
    atProcs(
        2,
        () ->
            Weft.run(
                () -> {
                  Channel<Instant> ticks = Weft.tick(Duration.ofHours(1));
                  Weft.go(
                      () -> {
                        Weft.sleep(PERIOD);
                        ticks.close();
                      });
                  assertNull(ticks.receive());
                  assertFalse(tickerOf(ticks).isScheduled());
                }));
  }

  @Test
  void aPlainThreadReceivesTicksToo() {
    assertTimeoutPreemptively(
        WeftTest.HANG_GUARD,
        () -> {
          Channel<Instant> ticks = Weft.tick(PERIOD);
          Instant a = ticks.receive();
          Instant b = ticks.receive();
          assertTrue(b.isAfter(a));
          ticks.close();
          assertFalse(tickerOf(ticks).isScheduled());
        });
  }

  @Test
  void aTickThatNobodyHoldsStopsByItself() {
    assertTimeoutPreemptively(
        WeftTest.HANG_GUARD,
        () -> {
          Ticker ticker = tickerOf(Weft.tick(PERIOD)); // the channel is garbage at once
          while (ticker.isScheduled()) {
            System.gc();
            Thread.sleep(PERIOD.toMillis());
          }
          long fires = ticker.fires();
          Thread.sleep(10 * PERIOD.toMillis());
          assertEquals(fires, ticker.fires());
        });
  }

  @Test
  void badDurationsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Weft.tick(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> Weft.tick(Duration.ofMillis(-1)));
    assertThrows(NullPointerException.class, () -> Weft.tick(null));
  }

  @Test
  void aHugePeriodSaturatesInsteadOfFiringAtOnce() {
    Channel<Instant> ticks = Weft.tick(Duration.ofSeconds(Long.MAX_VALUE));
    assertNull(ticks.tryReceive());
    assertTrue(tickerOf(ticks).isScheduled());
    ticks.close();
    assertFalse(tickerOf(ticks).isScheduled());
  }

  private static Ticker tickerOf(Channel<Instant> ticks) {
    return ((Tick) ticks.closeAction()).ticker;
  }
}
