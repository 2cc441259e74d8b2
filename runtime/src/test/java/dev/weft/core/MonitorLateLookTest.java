package dev.weft.core;

import static dev.weft.core.ParkerTest.atProcs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Weft;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The monitor may first see a long slice late: a garbage collection's pause stops it too (25 ms
 * at the start of a program that makes 100,000 fibers), or the machine keeps it off the CPU. Its
 * first look then finds a slice that seems to have run for 25 ms already. That alone must not take
 * the worker's slot: the fiber is asked to yield and gets a whole slice to answer, and a native
 * method on top of a thread that computes is not a blocked call. At procs=1 either mistake moved
 * the program onto a new worker, its queue to the global queue and its timers to the ownerless
 * heap.
 *
 * <p>Each test stands in for the pause: on the worker's own thread it makes the monitor's record of
 * the running slice say that the monitor last looked 25 ms ago, then keeps the slice going and
 * checks, for a few milliseconds after the monitor's request to yield, that the worker still holds
 * its slot.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MonitorLateLookTest {

  /** How long the slice seems to have run when the monitor first looks. */
  private static final long SEEN_LATE_NANOS = 25_000_000L;

  /** How long after the request to yield the slot must still be held: half a slice. */
  private static final long HELD_AFTER_REQUEST_NANOS = Monitor.PREEMPT_NANOS / 2;

  @Test
  void aSliceFirstSeenLateGetsAWholeSliceToAnswerTheRequestToYield() {
    // Computes without a preemption point (uninstrumented, in a monitor), as a fiber that could
    // not answer: the retake must still wait a whole slice after the request.
    assertSlotHeldAfterALateLook(MonitorLateLookTest::spinUntilHeldOrRetaken);
  }

  @Test
  void aFiberComputingInANativeMethodIsNotTakenForABlockedOne() {
    // Compresses in zlib: a native method on top nearly all the time, on the CPU all the time.
    assertSlotHeldAfterALateLook(MonitorLateLookTest::deflateUntilHeldOrRetaken);
  }

  /** What the slice does after the late look: returns the worker's status at its end. */
  private interface Slice {
    int run(Worker w, Fiber f);
  }

  /**
   * Runs the late look until it tells something: a run in which the worker lost its slot while its
   * thread was kept off the CPU for over half the time (a busy machine; the monitor then rightly
   * sees a thread that does not compute) is repeated.
   */
  private static void assertSlotHeldAfterALateLook(Slice slice) {
    for (int attempt = 1; ; attempt++) {
      double[] cpuShare = new double[1];
      int status = lateLook(slice, cpuShare);
      if (status == Worker.RUNNING) {
        return;
      }
      if (cpuShare[0] >= 0.5 || attempt == ATTEMPTS) {
        assertEquals(
            Worker.RUNNING,
            status,
            "the worker lost its slot within "
                + HELD_AFTER_REQUEST_NANOS / 1_000_000
                + " ms of the monitor's first look at a slice it saw late, its thread on the CPU "
                + Math.round(100 * cpuShare[0])
                + "% of the time (attempt "
                + attempt
                + ")");
      }
    }
  }

  /** Runs under this many times when the machine keeps the worker off the CPU. */
  private static final int ATTEMPTS = 10;

  /**
   * One late look at a slice that runs {@code slice}; returns the worker's status at its end, and
   * in {@code cpuShare} the part of the time the worker's thread spent on the CPU meanwhile.
   */
  private static int lateLook(Slice slice, double[] cpuShare) {
    AtomicInteger status = new AtomicInteger(-1);
    atProcs(
        1,
        () ->
            Weft.run(
                () -> {
                  Worker w = (Worker) Thread.currentThread();
                  Fiber f = Fiber.current();
                  ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                  long cpu = threads.getCurrentThreadCpuTime();
                  long wall = System.nanoTime();
                  seenLate(w);
                  status.set(slice.run(w, f));
                  cpuShare[0] =
                      (threads.getCurrentThreadCpuTime() - cpu)
                          / (double) (System.nanoTime() - wall);
                }));
    return status.get();
  }

  /**
   * Makes the monitor's record say that it has watched the current slice for {@link
   * #SEEN_LATE_NANOS} without asking it to yield.
   */
  private static void seenLate(Worker w) {
    long now = System.nanoTime();
    w.monSince = now - SEEN_LATE_NANOS;
    w.monPreempted = false;
    VarHandle.storeStoreFence(); // the record before the slice number that makes it current
    w.monSlices = w.slices();
  }

  /**
   * Spins until the monitor has asked the fiber to yield and then {@link
   * #HELD_AFTER_REQUEST_NANOS} more, or until the worker lost its slot.
   */
  private static int spinUntilHeldOrRetaken(Worker w, Fiber f) {
    synchronized (w) {
      long asked = 0;
      for (long i = 0; w.status == Worker.RUNNING; i++) {
        if ((i & 1023) == 0) {
          long now = System.nanoTime();
          if (asked == 0 && f.preemptRequested()) {
            asked = now;
          } else if (asked != 0 && now - asked >= HELD_AFTER_REQUEST_NANOS) {
            break;
          }
        }
        Thread.onSpinWait();
      }
      return w.status;
    }
  }

  /**
   * As {@link #spinUntilHeldOrRetaken}, compressing 8 KB at a time in between (tens of
   * microseconds in zlib, a native method).
   */
  private static int deflateUntilHeldOrRetaken(Worker w, Fiber f) {
    int chunk = 8 << 10;
    byte[] input = new byte[chunk];
    int x = 1;
    for (int i = 0; i < input.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      input[i] = (byte) (x & 0x1f); // random, five bits a byte: some work for the compressor
    }
    byte[] output = new byte[2 * chunk];
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try {
      long asked = 0;
      while (w.status == Worker.RUNNING) {
        deflater.setInput(input);
        while (!deflater.needsInput()) {
          deflater.deflate(output, 0, output.length, Deflater.SYNC_FLUSH);
        }
        long now = System.nanoTime();
        if (asked == 0 && f.preemptRequested()) {
          asked = now;
        } else if (asked != 0 && now - asked >= HELD_AFTER_REQUEST_NANOS) {
          break;
        }
      }
      return w.status;
    } finally {
      deflater.end();
    }
  }
}
