package dev.weft.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds identical fiber failures into one printed trace and a count (SPEC section 3): when 600
 * fibers fail the same way, 600 traces bury whatever comes next (a deadlock report, the program's
 * own last words). Two failures are identical when their exception class, message and throwing
 * frame are.
 *
 * <p>The first failure of a kind is printed at once. Identical ones that follow are only counted;
 * once none has followed for {@link #QUIET_NANOS}, the count is printed and the kind forgotten, so
 * a failure that comes back much later is printed in full again. Not thread-safe: {@link Uncaught}
 * holds its lock around every call. Time is passed in, so the folding is tested without a clock.
 */
final class FailureCounts {
  /** How long a kind must stay quiet before its count is printed. */
  static final long QUIET_NANOS = 100_000_000L;

  private static final class Kind {
    final String summary;
    long repeats;
    long lastSeen;

    Kind(String summary, long now) {
      this.summary = summary;
      this.lastSeen = now;
    }
  }

  private final Map<String, Kind> kinds = new LinkedHashMap<>();

  /**
   * Records a failure seen at {@code now}.
   *
   * @return true when it is the first of its kind and must be printed in full
   */
  boolean record(Throwable failure, long now) {
    String key = signature(failure);
    Kind k = kinds.get(key);
    if (k == null) {
      kinds.put(key, new Kind(summary(failure), now));
      return true;
    }
    k.repeats++;
    k.lastSeen = now;
    return false;
  }

  /** The count lines of the kinds quiet since {@code now - QUIET_NANOS}, which are forgotten. */
  List<String> due(long now) {
    return drain(now, false);
  }

  /** The count lines of every kind, quiet or not (at exit), all forgotten. */
  List<String> all() {
    return drain(0, true);
  }

  /** Nanoseconds from {@code now} until the next kind is due, or -1 when none is pending. */
  long nanosUntilDue(long now) {
    long next = -1;
    for (Kind k : kinds.values()) {
      long wait = Math.max(0, k.lastSeen + QUIET_NANOS - now);
      next = next < 0 ? wait : Math.min(next, wait);
    }
    return next;
  }

  boolean isEmpty() {
    return kinds.isEmpty();
  }

  private List<String> drain(long now, boolean everything) {
    List<String> lines = new ArrayList<>();
    for (Iterator<Kind> it = kinds.values().iterator(); it.hasNext(); ) {
      Kind k = it.next();
      // By difference: nanoTime values may wrap.
      if (everything || now - k.lastSeen >= QUIET_NANOS) {
        it.remove();
        if (k.repeats > 0) {
          lines.add(
              "(the same failure in "
                  + k.repeats
                  + (k.repeats == 1 ? " more fiber: " : " more fibers: ")
                  + k.summary
                  + ")");
        }
      }
    }
    return lines;
  }

  private static String signature(Throwable failure) {
    StackTraceElement[] trace = failure.getStackTrace();
    return failure.getClass().getName()
        + '\n'
        + failure.getMessage()
        + '\n'
        + (trace.length > 0 ? trace[0] : "");
  }

  private static String summary(Throwable failure) {
    StackTraceElement[] trace = failure.getStackTrace();
    return failure + (trace.length > 0 ? " at " + trace[0] : "");
  }
}
