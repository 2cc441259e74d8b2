package dev.weft.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An entry of the scheduler's {@link Timers}: something to do at a deadline. Subclasses say what;
 * {@link #fire()} runs on whichever thread finds it due (its worker between slices, an idle worker,
 * or the monitor), so it must be short and never block.
 *
 * <p>A timer is used once: added to a {@link TimerHeap}, then either fired or cancelled, never
 * added again (a ticker adds a new entry per period; resetting a deadline is a cancel and a new
 * timer). Its {@link #state} says which, and moves only forward, by CAS:
 *
 * <pre>
 *   NEW --add--> WAITING --popped when due (under the heap's lock)--> FIRED
 *                   |
 *                   +------cancel (any thread, no lock)-------------> CANCELLED
 * </pre>
 *
 * Exactly one of the two CASes out of WAITING wins, so a timer fires at most once, a cancel that
 * returns true guarantees it never fires, and one that returns false means it fired (or is firing)
 * or was never added. A cancelled timer stays in its heap's arrays until its heap drops it; see
 * {@link TimerHeap}.
 */
abstract class Timer {
  /** The longest delay a timer can have: deadlines are compared by difference. */
  static final long MAX_DELAY = Long.MAX_VALUE >> 1;

  static final int NEW = 0;
  static final int WAITING = 1;
  static final int FIRED = 2;
  static final int CANCELLED = 3;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Timer.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** When to fire, in {@link System#nanoTime()} units. */
  final long deadline;

  /** One of the constants above; see the class comment. */
  private volatile int state;

  /**
   * The heap it was added to; written once under that heap's lock before the state becomes
   * WAITING, so whoever reads WAITING also reads it.
   */
  TimerHeap heap;

  Timer(long deadline) {
    // The heap's "no timer" marker is one value of the clock: a timer due then fires 1 ns early.
    this.deadline = deadline == TimerHeap.NONE ? deadline - 1 : deadline;
  }

  /**
   * The deadline {@code nanos} from now. It may wrap around, as {@link System#nanoTime()} itself
   * may: deadlines are only ever compared by difference. A delay beyond {@link #MAX_DELAY} (146
   * years) is cut to it, so that the difference to any clock reading stays in range.
   */
  static long deadlineAfter(long nanos) {
    return System.nanoTime() + Math.min(nanos, MAX_DELAY);
  }

  /** True when deadline {@code a} comes before {@code b}; wrap-around safe. */
  static boolean before(long a, long b) {
    return a - b < 0;
  }

  /** Runs once the deadline has passed, outside the heap's lock. */
  abstract void fire();

  /**
   * Makes sure the timer never fires, from any thread, without a lock: O(1), the entry is dropped
   * later by its heap.
   *
   * @return true when it was waiting and now never fires; false when it fired (or is firing), was
   *     cancelled already, or was never added
   */
  final boolean cancel() {
    if (state == WAITING && STATE.compareAndSet(this, WAITING, CANCELLED)) {
      heap.cancelled(); // read after the state: see the field's comment
      return true;
    }
    return false;
  }

  /** True while it waits in a heap: added, neither fired nor cancelled. */
  final boolean isWaiting() {
    return state == WAITING;
  }

  final int state() {
    return state;
  }

  /** Under the heap's lock, when added. */
  final void setWaiting(TimerHeap h) {
    if (state != NEW) {
      throw new IllegalStateException("a timer is added once; this one is " + describeState());
    }
    heap = h;
    state = WAITING;
  }

  /** Under the heap's lock, when popped due: false when a cancel won. */
  final boolean claimForFiring() {
    return STATE.compareAndSet(this, WAITING, FIRED);
  }

  private String describeState() {
    switch (state) {
      case WAITING:
        return "waiting";
      case FIRED:
        return "fired";
      default:
        return "cancelled";
    }
  }
}
