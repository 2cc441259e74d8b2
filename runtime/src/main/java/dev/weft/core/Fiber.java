package dev.weft.core;

import dev.weft.Suspendable;
import dev.weft.SuspendableRunnable;
import dev.weft.frame.FrameStack;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A fiber: a task, its saved frames (it <em>is</em> its {@link FrameStack}) and one atomic state
 * word. Goroutines, in Java.
 *
 * <h2>State machine</h2>
 *
 * <pre>
 *              go()                 park(): CAS                    unpark(): CAS, ready()
 *   (new) -----------> ACTIVE --------------------------> PARKED --------------------------+
 *                      |  ^  ^                                                              |
 *                      |  |  +--------------------------------------------------------------+
 *                      |  |
 *                      |  +---- unpark(): CAS, wake the thread ---- PINNED <--+
 *                      +---- park() while a monitor is held (pinned): CAS ----+
 *
 *   ACTIVE ---- task returns or throws ----> DONE         (any unpark of a DONE fiber is ignored)
 * </pre>
 *
 * ACTIVE covers both runnable (in a run queue) and running (on a worker): the hand-off of a fiber
 * from a queue to a worker then needs no write to the state word at all, which keeps the switch
 * path short. A dump tells running from runnable by looking at the workers. The word also holds
 * PERMIT, the one pending unpark (LockSupport semantics: an unpark that finds the fiber ACTIVE sets
 * it, the next park consumes it and returns at once), and, in its high bits, the sequence number
 * of the last park. Every park that commits advances it, timed or not, so that a timer that fires
 * late can tell that the park it was meant to end is over (even when the fiber is parked again,
 * untimed) and never leaves a stray permit. Advancing it is an add folded into the commit's own
 * write: no extra instruction that costs anything. One more bit, TIMED_OUT, is set by the very CAS
 * with which a timer ends a timed park (and cleared by the next timed commit): after its resume the
 * fiber reads there that its timer fired and is done with, and re-arms that timer for its next
 * timed park instead of allocating one (see {@link TimedWake}); a timed park ended by an unpark
 * drops its timer, which may still sit in its heap.
 *
 * <h2>An unpark that races with the unwind</h2>
 *
 * A park commits (ACTIVE to PARKED) <em>before</em> the fiber unwinds, so an unpark may find it
 * PARKED and queue it while its worker is still saving its frames. The fiber is then made to wait,
 * not the unpark: the park sets {@link #unwinding} before its CAS, the run loop clears it (a
 * release store) once the unwind is complete, and a worker about to resume a fiber waits, spinning,
 * while it is still set (an acquire load). The wait is rare (it needs another worker or thread to
 * unpark the fiber within the few hundred nanoseconds of its unwind) and short; in exchange the
 * common path has one CAS per park and one per unpark, and none after the unwind. The same byte
 * tells the run loop whether an unwind was a park or a yield (gosched, preemption), which it
 * requeues itself.
 *
 * <h2>Parking under a lock, without an atomic</h2>
 *
 * A wait that is published under a lock every one of its wakers must take (a channel's queues)
 * commits its park with plain stores while it holds that lock ({@link #commitParkLocked}): its
 * waker cannot see the waiter before the lock is released, and then sees PARKED. The only
 * writers that can race with those stores are unparks meant for other, earlier waits; losing the
 * permit such an unpark leaves costs nothing, and an early wake-up is caught by the waiter, which
 * re-checks its own condition and parks again by CAS. That takes a channel hand-off from five
 * atomic instructions to four.
 *
 * <h2>Memory ordering</h2>
 *
 * A waker's writes before {@link #unpark()} happen-before the fiber's resumption: the fiber is only
 * made runnable by a CAS that reads the park's CAS (or the release store of {@link
 * #commitParkLocked}, which the lock orders before the waker's read), and the run queues hand
 * fibers over with release/acquire. The fiber's saved frames are written after its park commit,
 * during the unwind; they are published by the release store that clears {@code unwinding}, which
 * the resuming worker reads with acquire. {@code blocker} is written before the park commit and
 * read, for dumps, after a volatile read of the state.
 *
 * <h2>Memory</h2>
 *
 * A parked fiber is what a million-stage pipeline is made of, so it carries only its saved-frame
 * arrays and preemption flag (from {@link FrameStack}), the state word, the unwinding byte, the
 * task, the blocker and its registry slot: 72 bytes with compressed references. It is its own
 * {@link Parker}, so a waiter node that records whom to wake holds the fiber itself and no parker
 * object exists per fiber. Nothing per fiber is kept anywhere else except one slot in the {@link
 * FiberRegistry}. A fresh fiber is told from a suspended one by its {@code mode}: it is created
 * {@link FrameStack#ARMED}, which a suspended fiber never is, so no "started" flag is needed.
 */
public final class Fiber extends FrameStack implements Parker {
  static final int ACTIVE = 0;
  static final int PARKED = 1;
  static final int PINNED = 2;
  static final int DONE = 3;
  static final int STATE_MASK = 3;
  static final int PERMIT = 4;
  /**
   * Set, with ACTIVE, by the CAS of {@link #timeoutWake} that ends a timed park; cleared by the
   * commit of the next timed park. Tells the fiber after its resume that its timer fired and ended
   * the park, so that the timer is done with and can be re-armed (see {@link TimedWake}).
   */
  static final int TIMED_OUT = 8;
  static final int SEQ_ONE = 16;
  static final int SEQ_MASK = ~(SEQ_ONE - 1);

  /** {@link #unwinding}: not unwinding. */
  static final byte STILL = 0;
  /** {@link #unwinding}: unwinding after a committed park; do not resume before it is STILL. */
  static final byte PARKING = 1;
  /** {@link #unwinding}: unwinding to yield; the run loop requeues it. */
  static final byte YIELDING = 2;

  private static final VarHandle STATE;
  private static final VarHandle UNWIND_STATE;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      STATE = l.findVarHandle(Fiber.class, "state", int.class);
      UNWIND_STATE = l.findVarHandle(Fiber.class, "unwinding", byte.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** State, PERMIT and the timed-park sequence; see the class comment. */
  private volatile int state;

  /** STILL, PARKING or YIELDING; see the class comment. Accessed through {@link #UNWIND_STATE}. */
  @SuppressWarnings("unused")
  private byte unwinding;

  /**
   * The entry: run on the first slice, re-invoked on every resume to rewind the saved frames.
   * Null once the fiber has ended: an ended fiber can stay referenced for a long time (by a stale
   * slot of a worker's run queue, which is not cleared when a fiber is taken, since a thief may
   * still be reading it), and it must not keep its task, what the task captured and the task's
   * class loader reachable.
   */
  SuspendableRunnable task;

  /**
   * What the fiber is parked on, for dumps and deadlock reports; stale while it runs. Written only
   * when it changes: the fiber is soon in the old generation, where a reference store costs the
   * collector's write barrier even when the value is the same.
   */
  private Object blocker;

  /** Where the fiber sits in the registry, or -1 when it is not registered. */
  int slot = -1;

  Fiber(SuspendableRunnable task) {
    this.task = task;
    this.mode = ARMED;
    this.armedFor = task; // the first slice calls task.run(), armed
  }

  /**
   * The fiber running on the current thread, or null on a plain thread.
   *
   * <pre>{@code
   * boolean inFiber = Fiber.current() != null;
   * }</pre>
   */
  public static Fiber current() {
    FrameStack s = FrameStack.current();
    return s instanceof Fiber ? (Fiber) s : null;
  }

  // ---------------------------------------------------------------------------------------------
  // Parker: a fiber is its own parker, so that whoever records whom to wake holds the fiber.

  /**
   * {@inheritDoc} Suspends the fiber, freeing its worker; a fiber pinned by a monitor on its path
   * blocks its worker instead (the scheduler compensates).
   */
  @Override
  @Suspendable
  public void park(Object blocker) {
    checkRunning();
    // Must be called right here, from the method that calls suspend(), to see its armed bits.
    if (FrameStack.prepareSuspend()) {
      if (commitPark(blocker)) {
        FrameStack.suspend();
      }
    } else {
      parkPinned(blocker);
    }
  }

  @Override
  public void parkThread(Object blocker) {
    checkRunning();
    parkPinned(blocker);
  }

  @Override
  @Suspendable
  public boolean parkNanos(Object blocker, long nanos) {
    checkRunning();
    if (FrameStack.prepareSuspend()) {
      TimedWake t = commitTimedPark(blocker, nanos, 0L, false);
      if (t == null) {
        return true; // a permit was there
      }
      if (t == TimedWake.EXPIRED) {
        return false; // no permit, and no time to wait
      }
      FrameStack.suspend();
      return Fiber.current().timedParkEnded(); // t is not kept across the suspension
    }
    return parkPinnedNanos(blocker, nanos);
  }

  /**
   * As {@link #parkNanos}, with the deadline counted from {@code start}, a {@link
   * System#nanoTime()} reading the caller has just taken: for {@code Weft.sleep}, which needs one
   * anyway, so that a sleep reads the clock once instead of twice.
   *
   * <pre>{@code
   * long start = System.nanoTime();
   * boolean woken = Fiber.current().parkNanosFrom(blocker, 1_000_000, start);
   * }</pre>
   *
   * @return true when woken by an unpark (or a permit), false when the time ran out: the clock has
   *     then passed {@code start + nanos}
   */
  @Suspendable
  public boolean parkNanosFrom(Object blocker, long nanos, long start) {
    checkRunning();
    if (FrameStack.prepareSuspend()) {
      TimedWake t = commitTimedPark(blocker, nanos, start, true);
      if (t == null) {
        return true;
      }
      if (t == TimedWake.EXPIRED) {
        return false;
      }
      FrameStack.suspend();
      return Fiber.current().timedParkEnded();
    }
    return parkPinnedNanos(blocker, nanos);
  }

  @Override
  public boolean isFiber() {
    return true;
  }

  @Override
  public Fiber fiber() {
    return this;
  }

  /** Guards against parking another fiber's parker, which would corrupt both fibers. */
  void checkRunning() {
    if (FrameStack.current() != this) {
      throw new IllegalStateException(
          "a fiber can only be parked by itself; call Parker.current() in the waiting fiber");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Parking (called by the fiber itself).

  /**
   * Commits the running fiber to park: ACTIVE to PARKED, or consumes a pending permit. For runtime
   * code that waits without the extra frame of {@link Parker#park}: it must first have called
   * {@link FrameStack#prepareSuspend()} itself (which returned true), and when this returns true it
   * must call {@link FrameStack#suspend()} at once, from the same method. {@link #blocker()} gives
   * {@code blocker} back after the resume, so the caller need keep no local alive across the
   * suspension (each one would be saved and restored on every switch).
   *
   * <pre>{@code
   * if (FrameStack.prepareSuspend()) {          // before publishing anything
   *   Fiber f = Fiber.current();
   *   queue.add(node);                          // publish, then park: an unpark may come first
   *   do {
   *     if (f.commitPark(node)) FrameStack.suspend();
   *     f = Fiber.current();
   *     node = (Node) f.blocker();              // re-derived, not saved across the suspension
   *   } while (!node.done);
   * }
   * }</pre>
   *
   * @return true when the caller must now suspend; false when a permit was consumed instead
   */
  public boolean commitPark(Object blocker) {
    setBlocker(blocker);
    for (; ; ) {
      int s = state;
      if ((s & PERMIT) != 0) {
        if (STATE.compareAndSet(this, s, s & ~PERMIT)) {
          return false;
        }
      } else {
        // Plain store, published by the CAS: whoever reads PARKED also sees PARKING here.
        UNWIND_STATE.set(this, PARKING);
        if (STATE.compareAndSet(this, s, ((s + SEQ_ONE) & ~STATE_MASK) | PARKED)) {
          return true;
        }
        UNWIND_STATE.set(this, STILL);
      }
    }
  }

  /**
   * Commits the running fiber to park without an atomic instruction, for a wait that the caller
   * publishes under a lock that every waker meant for this wait must take (a channel's): call it
   * with that lock held, before the waiter becomes visible, then release the lock and, when this
   * returned true, call {@link FrameStack#suspend()} at once. The same preconditions as {@link
   * #commitPark} apply otherwise.
   *
   * <p>Why plain stores are enough: the waker that this wait is for finds the waiter only after
   * taking the lock, so the lock's release/acquire pair makes it see PARKED (and PARKING before
   * it), and its unpark CAS then readies the fiber exactly once. Any other unpark (a late one
   * meant for an earlier wait, a timer that lost its race) is racing here anyway: if its CAS
   * lands between our read and our store, the permit it left is overwritten, which only loses a
   * wake-up nobody was owed; if it lands after our store, it readies the fiber early, and the
   * caller's loop, which re-checks its own condition, parks again through {@link #commitPark}.
   * What must never happen, a PARKED fiber that its own waker cannot see, cannot: the waker reads
   * the state after the lock. A pending permit is left alone (return false): the caller then
   * waits in the {@link #commitPark} loop, which consumes it.
   *
   * <pre>{@code
   * lock(); queue.add(w);
   * boolean committed = f.commitParkLocked(w);
   * unlock();
   * if (committed) FrameStack.suspend();
   * }</pre>
   *
   * @return true when committed: the caller must suspend right after releasing the lock; false
   *     when a permit was pending and nothing changed
   */
  public boolean commitParkLocked(Object blocker) {
    int s = state;
    if ((s & (PERMIT | STATE_MASK)) != ACTIVE) {
      return false;
    }
    setBlocker(blocker);
    // Plain, then release: whoever reads PARKED (after the lock, or racing) also sees PARKING.
    UNWIND_STATE.set(this, PARKING);
    STATE.setRelease(this, ((s + SEQ_ONE) & ~STATE_MASK) | PARKED);
    return true;
  }

  /**
   * Commits a timed park: as {@link #commitPark}, then arms a timer for this park, the one of the
   * last timed park when its timeout ended that park (see {@link TimedWake}), else a new one. The
   * timer goes into {@link #blocker}, wrapping {@code blocker}, before the commit, so that a dump
   * that reads PARKED finds it.
   *
   * @param nanos how long, from {@code start} when {@code started}, else from a clock read taken
   *     only when the park commits
   * @return null when a permit was consumed, {@link TimedWake#EXPIRED} when there was no permit and
   *     no time to wait, otherwise the armed timer; after the resume, {@link #timedParkEnded}
   *     tells whether it fired
   */
  TimedWake commitTimedPark(Object blocker, long nanos, long start, boolean started) {
    Object b = this.blocker;
    TimedWake t = b instanceof TimedWake ? (TimedWake) b : null; // its last park timed out
    if (t != null) {
      if (t.blocker != blocker) {
        t.blocker = blocker;
      }
    } else {
      setBlocker(blocker);
    }
    for (; ; ) {
      int s = state;
      if ((s & PERMIT) != 0) {
        if (STATE.compareAndSet(this, s, s & ~PERMIT)) {
          return null;
        }
      } else if (nanos <= 0) {
        return TimedWake.EXPIRED;
      } else {
        if (t == null) {
          // The first timed park, or the last one was ended by an unpark: a new timer.
          t = new TimedWake(this);
          t.blocker = blocker;
          this.blocker = t;
        }
        int next = ((s + SEQ_ONE) & ~(STATE_MASK | TIMED_OUT)) | PARKED;
        t.seq = next & SEQ_MASK; // before the commit: a timer is only added after it
        UNWIND_STATE.set(this, PARKING);
        if (STATE.compareAndSet(this, s, next)) {
          // Armed after the commit: a timer that fires at once finds PARKED with our sequence
          // number and readies the fiber, which then waits for the unwind to finish.
          t.rearm(started ? Timer.deadlineAfter(start, nanos) : Timer.deadlineAfter(nanos));
          Scheduler.get().timers.add(t);
          return t;
        }
        UNWIND_STATE.set(this, STILL);
      }
    }
  }

  /**
   * After the resume from a timed park that committed: false when its timer fired and ended it
   * (the timer stays in {@link #blocker} for the next timed park), true when an unpark did. In the
   * second case the timer is dropped: cancelled, it may still be an entry of its heap, or it lost
   * the race and is firing on another thread (its cancel then fails, and the park counts as timed
   * out, as a timer that fires just after the unpark always did).
   */
  private boolean timedParkEnded() {
    if ((state & TIMED_OUT) != 0) {
      return false;
    }
    TimedWake t = (TimedWake) blocker;
    blocker = t.blocker;
    return t.cancel();
  }

  private void setBlocker(Object b) {
    if (blocker != b) {
      blocker = b;
    }
  }

  /** Before a voluntary yield: the run loop will requeue the fiber when its unwind completes. */
  void commitYield() {
    preempt = false; // a yield satisfies a pending preemption request
    UNWIND_STATE.set(this, YIELDING);
  }

  /**
   * Checks the checking modes' properties (weft.checkPath, weft.stress.*) when the scheduler
   * starts, so that a bad value fails there with what to fix.
   */
  static void checkModeProperties() {
    FrameStack.requireValidModes();
    String announcement = FrameStack.modesAnnouncement();
    if (announcement != null) {
      RuntimeLog.log(RuntimeLog.RUNTIME, System.Logger.Level.INFO, announcement, null);
    }
  }

  /** The agent's preemption point (or a stress point) is about to unwind the fiber: a yield. */
  @Override
  protected void onPreempted() {
    UNWIND_STATE.set(this, YIELDING);
  }

  /**
   * Called by the run loop, on the fiber's worker, when the entry method returned with {@link
   * #UNWINDING}: the unwind is complete. Fits the saved-frame arrays first ({@link
   * FrameStack#fitSaved}), while the fiber cannot be resumed yet.
   *
   * @param first whether this was the fiber's first slice (it started {@link #ARMED})
   * @return true for a yield, which the caller requeues; false for a park, after which the fiber
   *     may already be running elsewhere and must not be touched
   */
  boolean unwound(boolean first) {
    fitSaved(first);
    if ((byte) UNWIND_STATE.get(this) == PARKING) {
      // Release: publishes the saved frames to a worker that resumes the fiber (it may already
      // have been unparked and be waiting in awaitUnwound()).
      UNWIND_STATE.setRelease(this, STILL);
      return false;
    }
    // A yield (gosched, preemption point), or a suspend() that committed nothing: requeue it.
    UNWIND_STATE.set(this, STILL);
    return true;
  }

  /**
   * Before a worker resumes this fiber: waits while the worker that parked it is still unwinding it.
   * One acquire load (a plain load on x86) when, as nearly always, it is not.
   */
  void awaitUnwound() {
    if ((byte) UNWIND_STATE.getAcquire(this) != PARKING) {
      return;
    }
    for (int spins = 0; (byte) UNWIND_STATE.getAcquire(this) == PARKING; spins++) {
      if (spins < 1_000) {
        Thread.onSpinWait();
      } else {
        Thread.yield(); // a very deep stack takes a while to save
      }
    }
  }

  /**
   * Waits for an unpark by blocking the carrier thread: the fiber is pinned (a monitor is held on
   * its path) so it cannot unwind. The scheduler hands the worker's place to another worker for
   * the time it blocks.
   */
  void parkPinned(Object blocker) {
    parkPinnedNanos(blocker, Long.MAX_VALUE);
  }

  /** As {@link #parkPinned}, with a timeout; returns false when the time ran out. */
  boolean parkPinnedNanos(Object blocker, long nanos) {
    setBlocker(blocker);
    for (; ; ) {
      int s = state;
      if ((s & PERMIT) != 0) {
        if (STATE.compareAndSet(this, s, s & ~PERMIT)) {
          return true;
        }
      } else if (nanos <= 0) {
        return false;
      } else if (STATE.compareAndSet(this, s, (s & ~STATE_MASK) | PINNED)) {
        break;
      }
    }
    return blockWhilePinned(nanos);
  }

  private boolean blockWhilePinned(long nanos) {
    Worker w = (Worker) Thread.currentThread();
    Scheduler sched = w.sched;
    PinnedWarnings.warnOnce();
    sched.enterBlocking(w);
    boolean interrupted = false;
    boolean woken = true;
    // 0 means no deadline; a huge timeout is cut as timers are, so that it cannot wrap into the past.
    long deadline =
        nanos == Long.MAX_VALUE ? 0L : (System.nanoTime() + Math.min(nanos, Timer.MAX_DELAY)) | 1L;
    try {
      while ((state & STATE_MASK) == PINNED) {
        if (deadline == 0L) {
          LockSupport.park(this);
        } else {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            int s = state;
            if ((s & STATE_MASK) == PINNED && STATE.compareAndSet(this, s, s & ~STATE_MASK)) {
              woken = false;
              break;
            }
            continue;
          }
          LockSupport.parkNanos(this, left);
        }
        if (Thread.interrupted()) {
          interrupted = true;
        }
      }
    } finally {
      sched.exitBlocking(w);
      if (interrupted) {
        w.interrupt();
      }
    }
    return woken;
  }

  /**
   * Called by {@link FrameStack#suspend()} when a monitor is held on the path. Parker and gosched
   * ask {@link FrameStack#prepareSuspend()} first, which sees the same armed bits, and never commit
   * a park that then pins; a preemption point does not suspend a pinned fiber. So only a yield
   * without prepareSuspend gets here, and it just carries on: the fiber keeps its worker.
   */
  @Override
  protected void blockPinned() {
    if ((byte) UNWIND_STATE.get(this) == PARKING) {
      throw new IllegalStateException(
          "a park was committed without FrameStack.prepareSuspend() and the fiber is pinned: call"
              + " prepareSuspend() first and park pinned when it returns false");
    }
    UNWIND_STATE.set(this, STILL);
  }

  // ---------------------------------------------------------------------------------------------
  // Waking (any thread).

  /**
   * Gives the fiber its permit: makes a parked fiber runnable, wakes a pinned one, or lets its next
   * park return at once. Lock-free; allocation-free.
   */
  @Override
  public void unpark() {
    unpark(true);
  }

  /**
   * As {@link #unpark()}, but a worker queues the fiber at the back of its ring rather than in its
   * runNext slot: for a batch of fibers woken at once (by the network poller), which then run in
   * the order they were woken, each queued with a plain store instead of displacing the last one.
   */
  void unparkBehind() {
    unpark(false);
  }

  private void unpark(boolean next) {
    for (; ; ) {
      int s = state;
      switch (s & STATE_MASK) {
        case PARKED:
          Thread t = Thread.currentThread();
          if (t instanceof Worker) {
            // The hand-off path (a fiber wakes its channel partner): straight to this worker.
            if (STATE.compareAndSet(this, s, s & ~STATE_MASK)) {
              Worker w = (Worker) t;
              w.sched.readyFrom(w, this, next);
              return;
            }
            break;
          }
          // Before the CAS: the deadlock detector must see that a plain thread is waking a
          // fiber it may have counted as stuck.
          Scheduler.get().externalWake();
          if (STATE.compareAndSet(this, s, s & ~STATE_MASK)) {
            Scheduler.get().ready(this);
            return;
          }
          break;
        case PINNED:
          if (STATE.compareAndSet(this, s, s & ~STATE_MASK)) {
            Scheduler.get().wakePinned(this);
            return;
          }
          break;
        case DONE:
          return;
        default: // ACTIVE: leave the permit
          if ((s & PERMIT) != 0 || STATE.compareAndSet(this, s, s | PERMIT)) {
            return;
          }
      }
    }
  }

  /**
   * Ends the timed park numbered {@code seq} if the fiber is still in it. Never leaves a permit:
   * a timer that lost the race to an unpark has nothing to say.
   */
  void timeoutWake(int seq) {
    for (; ; ) {
      int s = state;
      if ((s & SEQ_MASK) != seq || (s & STATE_MASK) != PARKED) {
        return;
      }
      // TIMED_OUT in the same CAS: the fiber, which resumes after it, knows that its timer is
      // done with (every read of the timer by its firing comes before this CAS).
      if (STATE.compareAndSet(this, s, (s & ~STATE_MASK) | TIMED_OUT)) {
        Scheduler.get().ready(this, false);
        return;
      }
    }
  }

  /**
   * Reads the state word that {@link #timeoutWake} will CAS, so that it is in the cache by then
   * (see {@link TimerHeap#warmTop}). A plain read of a volatile, on any thread; the value means
   * nothing.
   */
  int warm() {
    return state;
  }

  /**
   * Asks the fiber to yield at its next preemption check (a loop back-edge in instrumented code).
   * Set by the monitor after a fiber has run for a whole time slice; a plain volatile write.
   *
   * <pre>{@code
   * fiber.requestPreempt(); // it goes to the back of its worker's queue at its next loop turn
   * }</pre>
   */
  public void requestPreempt() {
    preempt = true;
  }

  /**
   * True while a preemption request is pending.
   *
   * <pre>{@code
   * boolean asked = Fiber.current().preemptRequested();
   * }</pre>
   */
  public boolean preemptRequested() {
    return preempt;
  }

  /**
   * Marks the fiber finished; any later unpark is ignored. Also ends an unwind that failed half-way
   * (a saved stack that outgrew its limit): a worker waiting to resume the fiber then sees DONE and
   * drops it.
   */
  void markDone() {
    // Release is enough: a racing unpark's CAS reads the latest value and then sees DONE.
    STATE.setRelease(this, DONE);
    blocker = null;
    task = null; // no worker runs a DONE fiber, so no one reads it again
    UNWIND_STATE.setRelease(this, STILL);
  }

  /** True once the fiber has ended; a worker that dequeues a DONE fiber drops it. */
  boolean isDone() {
    return (state & STATE_MASK) == DONE;
  }

  /** Resets the frames after the task returned or threw (see the run loop). */
  void dropFrames() {
    clear();
  }

  // ---------------------------------------------------------------------------------------------
  // Introspection (dumps, deadlock detection): racy snapshots, good enough for a picture.

  int stateBits() {
    return state;
  }

  /**
   * What the fiber parks, or last parked, on: the blocker of its last park; meaningful only while
   * it is parked or pinned, or to the fiber itself just after it resumed.
   *
   * <pre>{@code
   * Waiter w = (Waiter) Fiber.current().blocker(); // after commitPark(w) and the resume
   * }</pre>
   */
  public Object blocker() {
    Object b = blocker;
    return b instanceof TimedWake ? ((TimedWake) b).blocker : b; // a timed park's timer wraps it
  }

  /** A name for dumps: the registry slot, which is unique among live fibers. */
  String name() {
    return "fiber-" + slot;
  }

  @Override
  public String toString() {
    return name();
  }
}
