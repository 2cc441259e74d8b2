package dev.weft;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Locks and unlocks the channels of a select: each distinct channel once, in increasing {@link
 * Channel#orderKey()}, the one global order that keeps two selects over the same channels from
 * deadlocking.
 *
 * <p>Selects are small, so for a few cases the order is found by repeated minimum search (O(n²)
 * key comparisons, no allocation). Beyond {@link #SORT_ABOVE} cases the distinct channels are
 * sorted once and the order kept in the first case, with a copy of the cases it is for: a loop
 * that selects over the same cases again (the usual shape) checks n references per lock and
 * unlock, and sorts and allocates only when the set of cases changes.
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

  private static final Comparator<Channel<?>> BY_KEY =
      Comparator.comparingLong(Channel::orderKey);

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
    long last = 0; // keys start at 1
    for (; ; ) {
      Channel<?> next = null;
      long nextKey = Long.MAX_VALUE;
      for (Select.Case<?> c : cases) {
        long k = c.channel.orderKey();
        if (k > last && k < nextKey) {
          next = c.channel;
          nextKey = k;
        }
      }
      if (next == null) {
        return;
      }
      next.spinLock();
      last = nextKey;
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
    Arrays.sort(all, BY_KEY);
    int distinct = 0;
    for (Channel<?> ch : all) {
      if (distinct == 0 || all[distinct - 1] != ch) {
        all[distinct++] = ch;
      }
    }
    return distinct == all.length ? all : Arrays.copyOf(all, distinct);
  }
}
