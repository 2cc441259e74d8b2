package dev.weft.samples;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap measurements that count live objects only: every reading follows full collections, so what
 * is left is what is reachable.
 *
 * <pre>{@code
 * long before = HeapUsage.liveBytes();
 * build();
 * long perItem = (HeapUsage.liveBytes() - before) / count;
 * }</pre>
 */
public final class HeapUsage {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private HeapUsage() {}

  /**
   * Bytes of heap in use after full collections. Two collections, because objects with finalizers
   * or cleaners only go on the second, and a single one can leave regions half-evacuated.
   */
  public static long liveBytes() {
    System.gc();
    System.gc();
    return MEMORY.getHeapMemoryUsage().getUsed();
  }

  /** Bytes of heap in use now, garbage included; cheap, no collection. */
  public static long usedBytes() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** The most heap this JVM may use ({@code -Xmx}). */
  public static long maxBytes() {
    return Runtime.getRuntime().maxMemory();
  }
}
