package dev.weft.core;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;

/**
 * What the allocation tests read: the bytes the scheduler's worker threads have allocated so far,
 * from HotSpot's per-thread counter. Reading it allocates nothing on the workers.
 */
final class WorkerAllocations {
  private WorkerAllocations() {}

  /** The sum over every worker thread of its allocated bytes. */
  static long bytes() throws ReflectiveOperationException {
    Object bean = ManagementFactory.getThreadMXBean();
    Method allocated =
        Class.forName("com.sun.management.ThreadMXBean")
            .getMethod("getThreadAllocatedBytes", long.class);
    long sum = 0;
    for (Worker w : Scheduler.get().workers) { // not getAllStackTraces: it allocates plenty
      sum += (Long) allocated.invoke(bean, w.getId());
    }
    return sum;
  }
}
