package dev.weft.bench.stack;

import dev.weft.Suspendable;
import dev.weft.Weft;

/**
 * How deep a rewritten recursion can go in a fiber at a given worker stack: recurses N frames
 * (three locals each), suspends at the bottom, and unwinds. Run by {@code bench/stack.sh}.
 */
public final class DeepRecursion {
  private DeepRecursion() {}

  @Suspendable
  static long down(int n, long acc, double d) {
    if (n == 0) {
      Weft.gosched();
      return acc;
    }
    long r = down(n - 1, acc + n, d * 1.0000001);
    return r + (d > 0 ? 0 : 1);
  }

  public static void main(String[] args) {
    int depth = Integer.parseInt(args[0]);
    long start = System.nanoTime();
    try {
      long r = Weft.call(() -> down(depth, 0, 1.0));
      System.out.printf("depth %,d: ok (%d) in %.2f s%n", depth, r, (System.nanoTime() - start) / 1e9);
    } catch (Throwable e) {
      System.out.printf("depth %,d: %s after %.2f s%n", depth, e, (System.nanoTime() - start) / 1e9);
    }
    System.exit(0);
  }
}
