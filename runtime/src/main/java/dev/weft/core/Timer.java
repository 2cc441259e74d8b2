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
 *
 * <p>The one way back is {@link #rearm}, FIRED to NEW, for a {@link TimedWake} whose fiber knows
 * that its firing is over (its timeout ended the park, see {@link Fiber}): a fired timer is in no
 * heap's arrays (it left them under the lock before its claim), so the re-added entry is its only
 * one. A cancelled timer is never re-armed: its entry may still be in the arrays.
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

  /**
   * When to fire, in {@link System#nanoTime()} units. Written before the timer is added (by its
   * constructor or {@link #rearm}); the add, under the heap's lock, publishes it to whoever fires.
   */
  long deadline;

  /** One of the constants above; see the class comment. */
  private volatile int state;

  /**
   * The heap it was added to; written once under that heap's lock before the state becomes
   * WAITING, so whoever reads WAITING also reads it.
   */
  TimerHeap heap;

  Timer(long deadline) {
    this.deadline = notNone(deadline);
  }

  /** The heap's "no timer" marker is one value of the clock: a timer due then fires 1 ns early. */
  private static long notNone(long deadline) {
    return deadline == TimerHeap.NONE ? deadline - 1 : deadline;
  }

  /**
   * Sets the deadline of a new timer, or makes a fired one new again with a new deadline, so that
   * it can be added once more: for a timer whose firing is over, which no heap holds any more (see
   * the class comment). Plain stores: the add that follows, under the heap's lock, publishes them.
   */
  final void rearm(long deadline) {
    int s = state;
    if (s != FIRED && s != NEW) {
      throw new IllegalStateException(
          "only a new or fired timer is re-armed; this one is " + describeState());
    }
    this.deadline = notNone(deadline);
    STATE.set(this, NEW);
  }

  /**
   * The deadline {@code nanos} from now. It may wrap around, as {@link System#nanoTime()} itself
   * may: deadlines are only ever compared by difference. A delay beyond {@link #MAX_DELAY} (146
   * years) is cut to it, so that the difference to any clock reading stays in range.
   */
  static long deadlineAfter(long nanos) {
    return deadlineAfter(System.nanoTime(), nanos);
  }

  /** As {@link #deadlineAfter(long)}, counted from {@code start}, a clock reading already taken. */
  static long deadlineAfter(long start, long nanos) {
    return start + Math.min(nanos, MAX_DELAY);
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
      throw new IllegalStateException("a timer is added only while new (or re-armed); this one is " + describeState());
    }
    if (heap != h) {
      heap = h; // a re-armed timer nearly always goes back to the same heap: no barrier then
    }
    state = WAITING;
  }

  /**
   * Reads what {@link #claimForFiring} and {@link #fire} will touch first, so that it is in the
   * cache when this timer fires (see {@link TimerHeap#warmTop}). Any thread, no lock; the result
   * means nothing: it is returned only so that the compiler keeps the reads.
   */
  int warm() {
    return state;
  }

  /** Under the heap's lock, when popped due: false when a cancel won. */
  final boolean claimForFiring() {
    return STATE.compareAndSet(this, WAITING, FIRED);
  }

  private String describeState() {
    switch (state) {
      case NEW:
        return "new";
      case WAITING:
        return "waiting";
      case FIRED:
        return "fired";
      default:
        return "cancelled";
    }
  }
}
