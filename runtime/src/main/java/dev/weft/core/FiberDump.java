package dev.weft.core;

import java.util.List;

/**
 * A picture of every live fiber, as a thread dump or Go's goroutine dump: each fiber's state, what
 * it waits on, and where it is. For a suspended fiber "where" comes from its saved frames
 * ({@link dev.weft.frame.FrameStack#savedSites()}); for a running or pinned one, from its worker
 * thread's stack. Taken without stopping anything, so a fiber that moves meanwhile may show a
 * mixed picture; nothing breaks.
 */
public final class FiberDump {
  private FiberDump() {}

  /**
   * Every live fiber, one paragraph each.
   *
   * <pre>{@code
   * System.err.println(FiberDump.dump());
   * }</pre>
   */
  public static String dump() {
    Scheduler s = Scheduler.peek();
    StringBuilder b = new StringBuilder();
    if (s == null) {
      return b.append("no fibers (the scheduler has not started)").toString();
    }
    List<Fiber> all = s.registry.snapshot();
    b.append(all.size()).append(" live fibers; ").append(s.describe());
    Worker[] workers = s.workers;
    for (Fiber f : all) {
      b.append("\n\n");
      describe(f, workers, b);
    }
    return b.toString();
  }

  /**
   * Appends one fiber's paragraph.
   *
   * @param workers the workers to look for the fiber on, or null when none runs (deadlock)
   */
  static void describe(Fiber f, Worker[] workers, StringBuilder b) {
    int bits = f.stateBits();
    int st = bits & Fiber.STATE_MASK;
    Worker carrier = null;
    if (workers != null && (st == Fiber.ACTIVE || st == Fiber.PINNED)) {
      for (Worker w : workers) {
        if (w.running() == f) {
          carrier = w;
          break;
        }
      }
    }
    b.append(f.name()).append(" [");
    switch (st) {
      case Fiber.PARKED:
        b.append("parked on ").append(describeBlocker(f.blocker()));
        break;
      case Fiber.PINNED:
        b.append("pinned, blocking ")
            .append(carrier != null ? carrier.getName() : "its worker")
            .append(", on ")
            .append(describeBlocker(f.blocker()));
        break;
      case Fiber.DONE:
        b.append("done");
        break;
      default:
        if (carrier != null) {
          b.append("running on ").append(carrier.getName());
        } else {
          b.append(f.mode == Fiber.ARMED ? "runnable, not started" : "runnable");
        }
    }
    // Only a running fiber can be asked to stop: a parked one may still carry a request that
    // came too late to matter, and saying so would suggest it is busy.
    if (carrier != null && st == Fiber.ACTIVE && f.preemptRequested()) {
      b.append(", preemption requested");
    }
    b.append("]:");
    if (carrier != null) {
      appendThreadStack(carrier, b);
    } else {
      appendSavedSites(f, b);
    }
  }

  private static String describeBlocker(Object blocker) {
    if (blocker == null) {
      return "(nothing named)";
    }
    try {
      return String.valueOf(blocker);
    } catch (RuntimeException e) {
      return blocker.getClass().getName();
    }
  }

  private static void appendSavedSites(Fiber f, StringBuilder b) {
    List<String> sites;
    try {
      sites = f.savedSites();
    } catch (RuntimeException e) {
      // The fiber was resumed while we read its frames.
      b.append("\n\t(frames changing)");
      return;
    }
    if (sites.isEmpty()) {
      b.append("\n\t(no saved frames)");
    }
    for (String site : sites) {
      b.append("\n\tat ").append(site);
    }
  }

  /** The worker's stack down to the run loop, which is not part of the fiber. */
  private static void appendThreadStack(Worker w, StringBuilder b) {
    for (StackTraceElement e : w.getStackTrace()) {
      if (e.getClassName().equals(Worker.class.getName())) {
        break;
      }
      b.append("\n\tat ").append(e);
    }
  }
}
