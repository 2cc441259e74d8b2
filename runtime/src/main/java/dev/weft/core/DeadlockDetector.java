package dev.weft.core;

import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Go's checkdead: when the main fiber of a plain thread's {@code Weft.run} is blocked and no fiber
 * can ever run again, fail that {@code run} with a {@link dev.weft.DeadlockException} listing every
 * blocked fiber, what it waits on and where.
 *
 * <h2>When is it a deadlock</h2>
 *
 * Only at quiescence, which the {@link Monitor} observes before it parks: no worker running,
 * spinning or blocked in a slice, every run queue and the global queue empty, no timer pending.
 * Then, if every live fiber is parked on a {@link WakeSource} that no plain thread has used, no
 * fiber and no timer can wake any of them, and only a plain thread could; one that never touched
 * those objects is not expected to. Fibers parked on anything else (or pinned) may be woken from
 * outside, and then it is not a deadlock: the dump shows the state instead.
 *
 * <h2>Races</h2>
 *
 * A fiber being woken by another running fiber is never reported: a running fiber means no
 * quiescence. What remains are plain threads: they bump the scheduler's external epoch before
 * they wake or start a fiber. The check reads the epoch, checks quiescence, scans every fiber, and
 * checks quiescence and the epoch again; any change in between aborts it (the monitor will look
 * again the next time everything is idle). The scan costs O(live fibers), but only after the cheap
 * test on the waiting mains has passed.
 *
 * <h2>A grace period for plain threads</h2>
 *
 * "No plain thread has used it" is only a snapshot: a thread started just before {@code Weft.run}
 * to feed main may not have reached its first send yet (a thread takes a while to start, longer on
 * a loaded machine or a cold JVM), and reporting a deadlock then would be a false alarm that
 * comes and goes with timing. So a deadlock found once is only a candidate: it is reported when
 * the checks keep finding it, with no plain thread waking or starting a fiber in between (the
 * external epoch unchanged), for {@link #GRACE_NANOS}. Any plain thread that touches one of the
 * objects meanwhile makes its fiber wakeable and ends the candidate. The monitor looks again
 * within its longest sleep (10 ms) when a check asks it to, so a real deadlock costs about ten
 * scans and is reported a tenth of a second late, which nobody waiting for a crash report
 * notices. Go needs no grace: only goroutines can wake goroutines there.
 */
final class DeadlockDetector {
  /** How long a deadlock must persist, untouched by plain threads, before it is reported. */
  static final long GRACE_NANOS = 100_000_000L;

  private final Scheduler sched;

  /** Completed checks that found no deadlock at quiescence; lets tests wait for one. */
  static volatile long quiescentChecks;

  /** Checks that found a new deadlock candidate; lets tests act inside the grace period. */
  static volatile long candidatesFound;

  /** The grace period's clock; tests replace it to hold the grace period open. */
  static volatile LongSupplier clock = new SystemClock();

  /** {@code System.nanoTime}; a class rather than a method reference, which costs start-up. */
  private static final class SystemClock implements LongSupplier {
    @Override
    public long getAsLong() {
      return System.nanoTime();
    }
  }

  /** Whether the last check found a deadlock not yet reported; monitor thread only. */
  private boolean candidate;

  /** The candidate's external epoch and when it was first found. */
  private long candidateEpoch;

  private long candidateSince;

  DeadlockDetector(Scheduler sched) {
    this.sched = sched;
  }

  /**
   * Runs on the monitor thread when every worker is idle.
   *
   * @return true when the answer is final until some worker wakes up (a deadlock was reported, or
   *     a fiber is not stuck); false when things moved during the check and it must be repeated
   *     soon, since nothing else would make the monitor look again
   */
  boolean check() {
    // The live set, not a copy: this runs each time every worker goes idle, hundreds of times a
    // second in a server. A main started meanwhile bumps the external epoch, checked below.
    Set<MainCall<?>> mains = MainCall.plainCalls();
    if (mains.isEmpty() || !sched.timers.isEmpty()) {
      candidate = false;
      return true; // nobody to tell; or a timer will fire, and its worker wakes the monitor
    }
    long epoch = sched.externalEpoch();
    if (!quiescent()) {
      candidate = false;
      return false;
    }
    for (MainCall<?> mc : mains) {
      Fiber f = mc.fiber();
      if (f == null) {
        candidate = false;
        return false;
      }
      if (!isStuck(f)) {
        // The common case for a server: main waits on something a plain thread feeds.
        candidate = false;
        quiescentChecks++; // only the monitor thread writes it
        return true;
      }
    }
    List<Fiber> all = sched.registry.snapshot();
    for (Fiber f : all) {
      if (!isStuck(f)) {
        candidate = false;
        quiescentChecks++;
        return true;
      }
    }
    if (!quiescent() || epoch != sched.externalEpoch()) {
      candidate = false;
      return false;
    }
    long now = clock.getAsLong();
    if (!candidate || candidateEpoch != epoch) {
      candidate = true;
      candidateEpoch = epoch;
      candidateSince = now;
      candidatesFound++; // only the monitor thread writes it
      return false; // look again soon: a plain thread may be about to use these objects
    }
    if (now - candidateSince < GRACE_NANOS) {
      return false;
    }
    candidate = false;
    String report = report(all);
    for (MainCall<?> mc : mains) {
      Fiber f = mc.fiber();
      if (f != null && isStuck(f)) { // not a main a plain thread started after the scan
        mc.deadlocked(report);
      }
    }
    return true;
  }

  private boolean quiescent() {
    Scheduler s = sched;
    if (s.nBlocked() != 0
        || s.nSpinning() != 0
        || s.nIdle < s.nActive()
        || !s.global.isEmpty()
        || !s.timers.isEmpty()) {
      return false;
    }
    for (Worker w : s.workers) {
      if (w.running() != null || !w.runq.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private static boolean isStuck(Fiber f) {
    if ((f.stateBits() & Fiber.STATE_MASK) != Fiber.PARKED) {
      return false;
    }
    Object b = f.blocker();
    return b instanceof WakeSource && !((WakeSource) b).plainThreadInvolved();
  }

  private static String report(List<Fiber> all) {
    StringBuilder b = new StringBuilder("all fibers are asleep - deadlock!");
    for (Fiber f : all) {
      b.append("\n\n");
      FiberDump.describe(f, null, b);
    }
    return b.toString();
  }
}
