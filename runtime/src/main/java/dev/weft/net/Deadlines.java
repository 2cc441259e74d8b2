package dev.weft.net;

import dev.weft.core.PollDesc;
import java.time.Duration;
import java.time.Instant;

/** Turns the API's wall-clock deadlines into the poller's {@link System#nanoTime()} ones. */
final class Deadlines {
  /** Far enough for any program, near enough that differences of nanoTime values cannot wrap. */
  private static final long FAR = Long.MAX_VALUE >> 2;

  private Deadlines() {}

  /** {@code t} on the nanoTime clock; {@link PollDesc#NO_DEADLINE} for null. */
  static long toNanoTime(Instant t) {
    if (t == null) {
      return PollDesc.NO_DEADLINE;
    }
    long now = System.nanoTime();
    long in;
    try {
      in = Duration.between(Instant.now(), t).toNanos();
    } catch (ArithmeticException e) {
      in = t.isBefore(Instant.now()) ? -FAR : FAR;
    }
    return after(now, clamp(in));
  }

  /** A delay cut to what nanoTime arithmetic can hold. */
  static long clamp(long nanos) {
    return Math.max(-FAR, Math.min(FAR, nanos));
  }

  /** The deadline {@code nanos} after {@code now}; never the "no deadline" value. */
  static long after(long now, long nanos) {
    long d = now + nanos;
    return d == PollDesc.NO_DEADLINE ? 1L : d;
  }
}
