package dev.weft.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every live fiber, so that a blocked fiber is never garbage-collected (it stays alive until it
 * ends, as a goroutine does) and so that dumps and the deadlock detector can list them all.
 *
 * <p>Cost per fiber: one array slot (4 bytes with compressed references) and the fiber's own
 * {@code slot} int; no node object. The registry is split into stripes, each a list of fixed-size
 * chunks of slots with a free list of indices under its own lock, so that workers registering and
 * retiring fibers at the same time rarely meet. A fiber's {@code slot} encodes its stripe in the
 * low bits. Registering and unregistering are O(1) and allocate only when a stripe needs another
 * chunk.
 *
 * <p>Why chunks rather than one array that doubles: a million fibers started by one worker land
 * in one stripe, and a 4 MB array is humongous to G1, which gives it whole regions (8 MB with the
 * 4 MB regions of an 8 GB heap): 8 bytes per fiber instead of 4. Chunks of {@link #CHUNK} slots
 * (16 KB) are ordinary objects, a stripe only wastes the unused part of its last chunk, and
 * growing copies nothing but the first chunk, which starts small for small programs.
 */
final class FiberRegistry {
  private static final int STRIPE_BITS = 4;
  private static final int STRIPES = 1 << STRIPE_BITS;
  /** Slots per chunk: 16 KB with compressed references, far below G1's humongous threshold. */
  private static final int CHUNK_BITS = 12;

  private static final int CHUNK = 1 << CHUNK_BITS;
  /** The first chunk of a stripe starts this small and doubles up to {@link #CHUNK}. */
  private static final int FIRST_CHUNK = 64;

  private static final int FIRST_FREE = 64;

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

  /** Bytes held by the slot chunks of every stripe (payload only); for tests. */
  long slotBytes() {
    long n = 0;
    for (Stripe s : stripes) {
      n += s.slotBytes();
    }
    return n;
  }

  /** The payload of the largest single slot array; for tests. */
  long largestSlotArrayBytes() {
    long most = 0;
    for (Stripe s : stripes) {
      most = Math.max(most, s.largestChunkBytes());
    }
    return most;
  }

  /** One lock's worth of slots. */
  private static final class Stripe {
    /** The chunks: the first {@code used / CHUNK}, rounded up, are allocated. */
    private Fiber[][] chunks = new Fiber[1][];

    private int[] free = new int[FIRST_FREE];
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
        i = used;
        int c = i >>> CHUNK_BITS;
        if (c == chunks.length) {
          chunks = Arrays.copyOf(chunks, c * 2);
        }
        Fiber[] chunk = chunks[c];
        if (chunk == null) {
          chunks[c] = new Fiber[c == 0 ? FIRST_CHUNK : CHUNK];
        } else if ((i & (CHUNK - 1)) == chunk.length) {
          chunks[c] = Arrays.copyOf(chunk, chunk.length * 2); // the first chunk grows to CHUNK
        }
        used = i + 1;
      }
      chunks[i >>> CHUNK_BITS][i & (CHUNK - 1)] = f;
      count = count + 1;
      return i;
    }

    synchronized void remove(int i, Fiber f) {
      if (i >= used || chunks[i >>> CHUNK_BITS][i & (CHUNK - 1)] != f) {
        return;
      }
      chunks[i >>> CHUNK_BITS][i & (CHUNK - 1)] = null;
      int c = count - 1;
      count = c;
      if (c == 0 && used > 4 * FIRST_CHUNK) {
        // Empty after a burst (a million-stage pipeline torn down): give the chunks back.
        chunks = new Fiber[1][];
        free = new int[FIRST_FREE];
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
        Fiber f = chunks[i >>> CHUNK_BITS][i & (CHUNK - 1)];
        if (f != null) {
          out.add(f);
        }
      }
    }

    synchronized long largestChunkBytes() {
      long most = 0;
      for (Fiber[] chunk : chunks) {
        most = Math.max(most, chunk == null ? 0 : 4L * chunk.length);
      }
      return most;
    }

    synchronized long slotBytes() {
      long n = 0;
      for (Fiber[] chunk : chunks) {
        n += chunk == null ? 0 : 4L * chunk.length;
      }
      return n;
    }
  }
}
