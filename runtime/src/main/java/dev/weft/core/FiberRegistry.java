package dev.weft.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every live fiber, so that a blocked fiber is never garbage-collected (it stays alive until it
 * ends, as a goroutine does) and so that dumps and the deadlock detector can list them all.
 *
 * <p>Cost per fiber: one array slot (4 bytes with compressed references) and the fiber's own
 * {@code slot} int; no node object. The registry is split into stripes, each an array of slots
 * with a free list of indices under its own lock, so that workers registering and retiring fibers
 * at the same time rarely meet. A fiber's {@code slot} encodes its stripe in the low bits.
 * Registering and unregistering are O(1) and allocate only when a stripe grows.
 */
final class FiberRegistry {
  private static final int STRIPE_BITS = 4;
  private static final int STRIPES = 1 << STRIPE_BITS;
  private static final int FIRST_CAPACITY = 64;

  private final Stripe[] stripes = new Stripe[STRIPES];

  FiberRegistry() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe();
    }
  }

  /** Registers a new fiber in the stripe of the calling thread. */
  void register(Fiber f) {
    Thread t = Thread.currentThread();
    int s = t instanceof Worker ? ((Worker) t).id : (int) t.getId() * 0x9E3779B9 >>> 16;
    s &= STRIPES - 1;
    int index = stripes[s].add(f);
    f.slot = (index << STRIPE_BITS) | s;
  }

  /** Removes a finished fiber. */
  void unregister(Fiber f) {
    int slot = f.slot;
    if (slot >= 0) {
      stripes[slot & (STRIPES - 1)].remove(slot >>> STRIPE_BITS, f);
    }
  }

  /** The number of live fibers. Each stripe's count is exact; the sum is a moment's picture. */
  int count() {
    int n = 0;
    for (Stripe s : stripes) {
      n += s.count;
    }
    return n;
  }

  /** A copy of the live fibers, stripe by stripe. */
  List<Fiber> snapshot() {
    List<Fiber> all = new ArrayList<>();
    for (Stripe s : stripes) {
      s.copyInto(all);
    }
    return all;
  }

  /** One lock's worth of slots. */
  private static final class Stripe {
    private Fiber[] slots = new Fiber[FIRST_CAPACITY];
    private int[] free = new int[FIRST_CAPACITY];
    private int freeTop;
    /** Slots below this index have been handed out at least once. */
    private int used;
    /** Live fibers; written under the lock, read without it by {@link #count()}. */
    volatile int count;

    synchronized int add(Fiber f) {
      int i;
      if (freeTop > 0) {
        i = free[--freeTop];
      } else {
        if (used == slots.length) {
          slots = Arrays.copyOf(slots, used * 2);
        }
        i = used++;
      }
      slots[i] = f;
      count = count + 1;
      return i;
    }

    synchronized void remove(int i, Fiber f) {
      if (i >= used || slots[i] != f) {
        return;
      }
      slots[i] = null;
      int c = count - 1;
      count = c;
      if (c == 0 && used > 4 * FIRST_CAPACITY) {
        // Empty after a burst (a million-stage pipeline torn down): give the arrays back.
        slots = new Fiber[FIRST_CAPACITY];
        free = new int[FIRST_CAPACITY];
        freeTop = 0;
        used = 0;
        return;
      }
      if (freeTop == free.length) {
        free = Arrays.copyOf(free, free.length * 2);
      }
      free[freeTop++] = i;
    }

    synchronized void copyInto(List<Fiber> out) {
      for (int i = 0; i < used; i++) {
        Fiber f = slots[i];
        if (f != null) {
          out.add(f);
        }
      }
    }
  }
}
