package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The monitor's sleep: 20 us after acting, doubling after 50 quiet cycles, at most 10 ms. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MonitorPaceTest {
  @Test
  void startsShortAndDoublesAfterFiftyQuietCycles() {
    MonitorPace pace = new MonitorPace();
    assertEquals(20_000L, pace.delayNanos());
    for (int i = 0; i < MonitorPace.QUIET_CYCLES; i++) {
      pace.cycleDone(false);
    }
    assertEquals(20_000L, pace.delayNanos());
    pace.cycleDone(false);
    assertEquals(40_000L, pace.delayNanos());
    pace.cycleDone(false);
    assertEquals(80_000L, pace.delayNanos());
  }

  @Test
  void neverSleepsLongerThanTenMilliseconds() {
    MonitorPace pace = new MonitorPace();
    for (int i = 0; i < 1000; i++) {
      pace.cycleDone(false);
    }
    assertEquals(MonitorPace.MAX_NANOS, pace.delayNanos());
    assertEquals(10_000_000L, MonitorPace.MAX_NANOS);
  }

  @Test
  void aCycleThatRetookAWorkerMakesItLookAgainSoon() {
    MonitorPace pace = new MonitorPace();
    for (int i = 0; i < 1000; i++) {
      pace.cycleDone(false);
    }
    pace.cycleDone(true);
    assertEquals(MonitorPace.MIN_NANOS, pace.delayNanos());
    for (int i = 0; i < MonitorPace.QUIET_CYCLES; i++) {
      pace.cycleDone(false);
    }
    assertEquals(MonitorPace.MIN_NANOS, pace.delayNanos()); // the quiet count started again
  }
}
