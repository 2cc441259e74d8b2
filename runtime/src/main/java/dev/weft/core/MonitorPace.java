package dev.weft.core;

/**
 * How long the {@link Monitor} sleeps between two cycles, as Go's sysmon paces itself: {@value
 * #MIN_NANOS} ns after a cycle that calls for a quick second look (it retook a blocked worker, or
 * fired the timers of a stuck one), doubling after {@value #QUIET_CYCLES} other cycles in a row, up
 * to {@value #MAX_NANOS} ns. Monitor thread only.
 *
 * <pre>{@code
 * MonitorPace pace = new MonitorPace();
 * LockSupport.parkNanos(pace.delayNanos());
 * pace.cycleDone(retookAWorker);
 * }</pre>
 *
 * <p>An idle park (every worker idle, the monitor waits for one to wake) leaves the pace as it
 * was, as sysmon's does unless a system call woke it. Nothing the monitor watches becomes due
 * sooner than {@link Timers#STALL_NANOS} after a worker wakes (a long slice, a blocked worker, an
 * overdue timer), and a queue waiting beside an idle worker is what a busy program's monitor
 * already serves at the slowest pace; so a reset at every wake-up bought nothing, while a server's
 * worker goes idle and wakes hundreds of times a second, each reset costing some 50 monitor
 * wake-ups on the worker's own core (docs/net.md has the figures).
 */
final class MonitorPace {
  static final long MIN_NANOS = 20_000L;
  static final long MAX_NANOS = 10_000_000L;
  static final int QUIET_CYCLES = 50;

  private long delay = MIN_NANOS;
  private int quiet;

  /** The next sleep. */
  long delayNanos() {
    return delay;
  }

  /** A cycle ended; {@code hurry}: look again soon. */
  void cycleDone(boolean hurry) {
    if (hurry) {
      delay = MIN_NANOS;
      quiet = 0;
    } else if (++quiet > QUIET_CYCLES) {
      delay = Math.min(delay * 2, MAX_NANOS);
    }
  }
}
