package dev.weft;

import java.util.Arrays;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Locks and unlocks the channels of a select: each distinct channel once, in the one global order
 * of {@link #compare} that keeps two selects over the same channels from deadlocking.
 *
 * <h2>The order</h2>
 *
 * Go orders a select's channels by address; a Java object has no stable address, so the order is
 * the identity hash, which costs a channel no field (a long key per channel made an unbuffered
 * channel, the one a pipeline stage parks on, 8 bytes bigger). Identity hashes are not unique, so
 * two distinct channels with the same hash are ordered by a serial number each draws from a
 * counter the first time it ties ({@link Ties}). The order is total and never changes while the
 * channels live: the hash is fixed for an object's life, and so is its serial once drawn. Ties are
 * rare (two of a select's channels among some two billion hash values), so the table behind them
 * is consulted almost never, and holds only channels that tied.
 *
 * <p>Selects are small, so for a few cases the order is found by repeated minimum search (O(n²)
 * comparisons, one identity hash per case and round, no allocation). Beyond {@link #SORT_ABOVE}
 * cases the distinct channels are sorted once and the order kept in the first case, with a copy of
 * the cases it is for: a loop that selects over the same cases again (the usual shape) checks n
 * references per lock and unlock, and sorts and allocates only when the set of cases changes.
 *
 * <pre>{@code
 * LockOrder.lockAll(cases);
 * int pick = pollLocked(cases); // never parks, never throws while the locks are held
 * LockOrder.unlockAll(cases);
 * }</pre>
 */
final class LockOrder {
  private LockOrder() {}

  private static final int SORT_ABOVE = 8;

  /**
   * The global lock order: negative when {@code a} is locked before {@code b}, 0 only for the same
   * channel.
   *
   * <pre>{@code
   * assert LockOrder.compare(a, b) == -LockOrder.compare(b, a);
   * }</pre>
   */
  static int compare(Channel<?> a, Channel<?> b) {
    return a == b
        ? 0
        : compare(a, System.identityHashCode(a), b, System.identityHashCode(b));
  }

  /** As {@link #compare(Channel, Channel)}, for distinct channels whose hashes are known. */
  static int compare(Channel<?> a, int ha, Channel<?> b, int hb) {
    if (ha != hb) {
      return Integer.compare(ha, hb);
    }
    return Long.compare(Ties.serial(a), Ties.serial(b));
  }

  static void lockAll(Select.Case<?>[] cases) {
    int n = cases.length;
    if (n == 1) {
      cases[0].channel.spinLock();
      return;
    }
    if (n > SORT_ABOVE) {
      for (Channel<?> ch : ordered(cases)) {
        ch.spinLock();
      }
      return;
    }
    Channel<?> last = null;
    int lastHash = 0;
    for (; ; ) {
      Channel<?> next = null;
      int nextHash = 0;
      for (Select.Case<?> c : cases) {
        Channel<?> ch = c.channel;
        if (ch == last || ch == next) {
          continue;
        }
        int h = System.identityHashCode(ch);
        if ((last == null || compare(ch, h, last, lastHash) > 0)
            && (next == null || compare(ch, h, next, nextHash) < 0)) {
          next = ch;
          nextHash = h;
        }
      }
      if (next == null) {
        return;
      }
      next.spinLock();
      last = next;
      lastHash = nextHash;
    }
  }

  static void unlockAll(Select.Case<?>[] cases) {
    int n = cases.length;
    if (n > SORT_ABOVE) {
      for (Channel<?> ch : ordered(cases)) {
        ch.spinUnlock();
      }
      return;
    }
    next:
    for (int i = 0; i < n; i++) {
      Channel<?> ch = cases[i].channel;
      for (int j = 0; j < i; j++) {
        if (cases[j].channel == ch) {
          continue next; // unlocked at its first occurrence
        }
      }
      ch.spinUnlock();
    }
  }

  /** The distinct channels of {@code cases} in lock order, from the first case when it has them. */
  private static Channel<?>[] ordered(Select.Case<?>[] cases) {
    Select.Case<?> first = cases[0];
    Select.Case<?>[] known = first.lockOrderCases;
    if (known != null && sameCases(known, cases)) {
      return first.lockOrder;
    }
    Channel<?>[] order = distinctInOrder(cases);
    first.lockOrderCases = cases.clone();
    first.lockOrder = order;
    return order;
  }

  private static boolean sameCases(Select.Case<?>[] a, Select.Case<?>[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }

  private static Channel<?>[] distinctInOrder(Select.Case<?>[] cases) {
    Channel<?>[] all = new Channel<?>[cases.length];
    for (int i = 0; i < all.length; i++) {
      all[i] = cases[i].channel;
    }
    Arrays.sort(all, LockOrder::compare);
    int distinct = 0;
    for (Channel<?> ch : all) {
      if (distinct == 0 || all[distinct - 1] != ch) {
        all[distinct++] = ch;
      }
    }
    return distinct == all.length ? all : Arrays.copyOf(all, distinct);
  }

  /**
   * Serial numbers for channels whose identity hashes tie, drawn on first need and kept as long as
   * the channel lives (the table holds its channels weakly; a channel's {@code hashCode} and
   * {@code equals} are identity's). Under its own lock: it is used only on a tie.
   */
  static final class Ties {
    private static final Map<Channel<?>, Long> SERIALS = new WeakHashMap<>();
    private static long next;

    private Ties() {}

    static synchronized long serial(Channel<?> ch) {
      Long s = SERIALS.get(ch);
      if (s == null) {
        s = ++next;
        SERIALS.put(ch, s);
      }
      return s;
    }
  }
}
