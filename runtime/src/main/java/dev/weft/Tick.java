package dev.weft;

import dev.weft.core.Ticker;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.function.LongConsumer;

/**
 * What stands behind a {@link Weft#tick} channel: a {@link Ticker} that offers the time on the
 * channel each period (dropping the tick when the last one is still unread), stopped by the
 * channel's {@code close()} or, failing that, once nobody holds the channel any more (as in Go
 * since 1.23; a fiber parked on the channel holds it).
 *
 * <p>The time sent is the moment the tick was due, as Go sends it, so the times received are whole
 * periods apart even when a firing runs late; it is read from the wall clock once, at the start,
 * and advanced by the monotonic clock, so a wall-clock step never makes ticks go backwards.
 */
final class Tick implements LongConsumer, Runnable {
  final Ticker ticker;
  private final Instant origin = Instant.now();
  private final long originNanos = System.nanoTime();

  /** Set once, before the ticker starts (its start and firings are ordered by its lock). */
  private WeakReference<Channel<Instant>> channel;

  private Tick(long periodNanos) {
    ticker = new Ticker(periodNanos);
  }

  /** A new tick channel, ticking every {@code periodNanos}. */
  static Channel<Instant> start(long periodNanos) {
    Tick t = new Tick(periodNanos);
    Channel<Instant> ch = Channel.makeClosing(1, t);
    t.channel = new WeakReference<>(ch);
    t.ticker.start(t);
    return ch;
  }

  /** One tick, due at {@code due} ({@link System#nanoTime()} units). */
  @Override
  public void accept(long due) {
    Channel<Instant> ch = channel.get();
    if (ch == null) {
      ticker.stop(); // nobody can receive from it any more
      return;
    }
    try {
      ch.trySend(origin.plusNanos(due - originNanos)); // full: the receiver misses this tick
    } catch (ChannelClosedException closedMeanwhile) {
      // close() is stopping the ticker right now.
    }
  }

  /** The channel's close action. */
  @Override
  public void run() {
    ticker.stop();
  }
}
