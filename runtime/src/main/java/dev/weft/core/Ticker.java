package dev.weft.core;

import java.util.function.LongConsumer;

/**
 * A timer that fires every period until it is stopped: what {@code Weft.tick} is built on. Each
 * period is one entry in the scheduler's {@link TimerHeap}, fired like any other timer (no thread
 * per ticker); the next entry is added only once the previous one has fired, so firings never
 * overlap and a ticker has at most one entry in the heap.
 *
 * <p>Deadlines are fixed-rate, as Go's tickers: the next one is the previous one plus the period,
 * so lateness does not accumulate. When a firing comes so late that whole periods have passed,
 * those ticks are skipped rather than fired in a burst.
 *
 * <p>{@link #stop()} takes the pending entry out of the heap; a firing that is already running
 * when it is called finishes, and adds no further entry. Not meant for applications: use {@code
 * dev.weft.Weft.tick}.
 *
 * <pre>{@code
 * Ticker t = new Ticker(1_000_000);                        // every millisecond
 * t.start(due -> ch.trySend(Instant.now()));
 * ...
 * t.stop();
 * }</pre>
 */
public final class Ticker {
  private final long period;

  /** Guarded by this; null until started. */
  private LongConsumer onTick;

  /** The entry in the heap; null before the start and once stopped. Guarded by this. */
  private Entry pending;

  /** Guarded by this. */
  private boolean stopped;

  /** Firings so far; written by one firing at a time (they never overlap). */
  private volatile long fires;

  /**
   * A ticker that is not yet running.
   *
   * @param periodNanos the period, in nanoseconds
   * @throws IllegalArgumentException when {@code periodNanos} is not positive
   */
  public Ticker(long periodNanos) {
    if (periodNanos <= 0) {
      throw new IllegalArgumentException("a ticker needs a positive period, was " + periodNanos);
    }
    this.period = Math.min(periodNanos, Timer.MAX_DELAY);
  }

  /**
   * Starts ticking: {@code onTick} runs one period from now, then every period, until {@link
   * #stop()}. It receives the deadline it was due at ({@link System#nanoTime()} units) and runs on
   * whichever thread services the timers, so it must be short and must not block.
   *
   * @throws IllegalStateException when already started
   */
  public void start(LongConsumer onTick) {
    if (onTick == null) {
      throw new NullPointerException("a ticker needs an action, not null");
    }
    synchronized (this) {
      if (this.onTick != null) {
        throw new IllegalStateException("ticker already started");
      }
      this.onTick = onTick;
      if (!stopped) {
        schedule(Timer.deadlineAfter(period));
      }
    }
  }

  /**
   * Stops ticking, from any thread, any number of times: the pending firing is removed from the
   * timer heap, and a firing running right now adds no further one.
   */
  public void stop() {
    Entry e;
    synchronized (this) {
      stopped = true;
      e = pending;
      pending = null;
    }
    if (e != null) {
      Scheduler.get().timers.remove(e);
    }
  }

  /**
   * True from the start until the ticker is stopped: a firing is pending in the scheduler's timer
   * heap, or running now (for tests and dumps). While a firing runs, its entry is out of the heap
   * and the next one not yet in; a watcher that waits for the ticker to stop must not take that
   * moment for the stop.
   */
  public synchronized boolean isScheduled() {
    return pending != null;
  }

  /** The number of firings so far (for tests and dumps). */
  public long fires() {
    return fires;
  }

  /** Under the lock. */
  private void schedule(long deadline) {
    Entry e = new Entry(deadline);
    pending = e;
    Scheduler.get().timers.add(e);
  }

  private void fire(Entry e) {
    LongConsumer action;
    synchronized (this) {
      if (pending != e) {
        return; // stopped after the heap handed the entry out
      }
      action = onTick;
    }
    fires = fires + 1;
    try {
      action.accept(e.deadline); // outside the lock: it may stop this ticker
    } finally {
      synchronized (this) {
        if (pending == e) {
          schedule(nextDeadline(e.deadline, period, System.nanoTime()));
        }
      }
    }
  }

  /**
   * The deadline after {@code due}: one period later, or, when the firing came so late that this is
   * already past, the first multiple of the period after {@code now}. Clock values may wrap around
   * (as {@link System#nanoTime()} may): they are compared by difference only.
   */
  static long nextDeadline(long due, long period, long now) {
    long next = due + period;
    if (!Timer.before(now, next)) {
      next = now + (period - (now - due) % period);
    }
    return next;
  }

  /** One period's entry in the heap. */
  private final class Entry extends Timer {
    Entry(long deadline) {
      super(deadline);
    }

    @Override
    void fire() {
      Ticker.this.fire(this);
    }
  }
}
