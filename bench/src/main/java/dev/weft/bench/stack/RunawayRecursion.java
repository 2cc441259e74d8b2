package dev.weft.bench.stack;

import dev.weft.Weft;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A runaway recursion in a fiber: how long until {@code StackOverflowError}, and the peak resident
 * memory (VmHWM) it cost. Run by {@code bench/stack.sh}; Go's figure for the same program is in
 * docs/scheduler.md.
 */
public final class RunawayRecursion {
  private RunawayRecursion() {}

  private static long depth;

  private static long down(long n) {
    depth = n;
    return down(n + 1) + 1;
  }

  public static void main(String[] args) throws IOException {
    long start = System.nanoTime();
    try {
      Weft.run(() -> down(0));
    } catch (StackOverflowError e) {
      System.out.printf(
          "StackOverflowError at depth %,d after %.2f s%n", depth, (System.nanoTime() - start) / 1e9);
    }
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM")) {
        System.out.printf("peak resident %,d MB%n", Long.parseLong(line.replaceAll("\\D", "")) / 1024);
      }
    }
    System.exit(0);
  }
}
