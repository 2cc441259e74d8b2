package dev.weft.core;

import java.lang.ref.WeakReference;
import java.util.Arrays;

/**
 * Which plain threads have used a channel, mutex or wait group, for the {@link DeadlockDetector}:
 * a fiber parked on such an object is stuck only if none of them can still act. A thread that has
 * ended cannot, and neither can one that waits inside {@code Weft.run} or {@code Weft.call} for a
 * main fiber that is itself stuck; the usual program prepares its channels on the main thread and
 * then calls {@code Weft.run}, and without this its deadlocks would hang instead of being reported.
 *
 * <p>The record is one immutable value that the object keeps in a volatile field and replaces by
 * compare-and-set: null (no plain thread yet), one thread's weak reference, an array of up to
 * {@value #TRACKED} of them, or {@link #MANY} (more than that: assume one of them may act). Weak
 * references, so that a record never keeps an ended thread (nor the class loader it holds) alive;
 * a cleared one is a thread that ended. Each thread's reference is made once and kept in a thread
 * local, so noting the same thread again allocates nothing.
 *
 * <pre>{@code
 * Object u = users;                                  // the object's volatile field
 * Object v = PlainUsers.with(u);                     // on a plain thread
 * if (v != u) USERS.compareAndSet(this, u, v);       // retry on failure
 * boolean wakeable = PlainUsers.mayStillAct(users);  // the detector, at quiescence
 * }</pre>
 */
public final class PlainUsers {
  /** More plain threads than are tracked one by one: any of them may still act. */
  public static final Object MANY =
      new Object() {
        @Override
        public String toString() {
          return "many plain threads";
        }
      };

  private static final int TRACKED = 4;

  private static final ThreadLocal<WeakReference<Thread>> SELF =
      new ThreadLocal<>() {
        @Override
        protected WeakReference<Thread> initialValue() {
          return new WeakReference<>(Thread.currentThread());
        }
      };

  private PlainUsers() {}

  /**
   * The record once the current plain thread has used an object whose record is {@code users}:
   * {@code users} itself when it already names this thread (the common case: no allocation).
   */
  public static Object with(Object users) {
    if (users == MANY) {
      return MANY;
    }
    Thread me = Thread.currentThread();
    if (users == null) {
      return SELF.get();
    }
    if (users instanceof WeakReference) {
      return ((WeakReference<?>) users).get() == me ? users : new Object[] {users, SELF.get()};
    }
    Object[] all = (Object[]) users;
    for (Object r : all) {
      if (((WeakReference<?>) r).get() == me) {
        return users;
      }
    }
    if (all.length == TRACKED) {
      return MANY;
    }
    Object[] more = Arrays.copyOf(all, all.length + 1);
    more[all.length] = SELF.get();
    return more;
  }

  /**
   * For the deadlock detector, at quiescence: whether a plain thread in {@code users} may still use
   * the object, that is one that is alive and not waiting in {@code Weft.run}/{@code call}.
   */
  public static boolean mayStillAct(Object users) {
    if (users == null) {
      return false;
    }
    if (users == MANY) {
      return true;
    }
    if (users instanceof WeakReference) {
      return mayStillAct((WeakReference<?>) users);
    }
    for (Object r : (Object[]) users) {
      if (mayStillAct((WeakReference<?>) r)) {
        return true;
      }
    }
    return false;
  }

  private static boolean mayStillAct(WeakReference<?> ref) {
    Thread t = (Thread) ref.get();
    return t != null && t.isAlive() && !MainCall.isWaitingIn(t);
  }
}
