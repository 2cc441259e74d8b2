package dev.weft.bench.compare;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter (or flag) in the middle of an array of its own, so that no other object shares its
 * cache line: a bare {@code AtomicLong} allocated next to the channel, or next to the stop flag
 * the producers read on every send, would make the benchmark measure its own false sharing
 * rather than the channel (Go keeps such words in a size class of their own, away from the
 * channel).
 *
 * <pre>{@code
 * PaddedCounter received = new PaddedCounter();
 * received.set(++n);
 * }</pre>
 */
final class PaddedCounter {
  private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);

  /** 64 bytes either side of the cell. */
  private static final int SLOT = 8;

  private final long[] cells = new long[2 * SLOT + 1];

  /** A release store: the writer pays no fence. */
  void set(long v) {
    CELL.setRelease(cells, SLOT, v);
  }

  long get() {
    return (long) CELL.getAcquire(cells, SLOT);
  }
}
