package dev.weft.core;

import java.security.AccessController;
import java.security.PrivilegedAction;

/**
 * Makes the scheduler's threads so that they keep nothing of the code that happened to ask for
 * them. A worker is made by whatever thread first needs one (a web application's request thread,
 * say) and then outlives it; whatever it inherited from that thread would stay reachable as long
 * as the process runs. So a worker gets the system class loader as its context loader (set by the
 * thread's own constructor), no inherited thread locals ({@code Carrier} asks for none), and no
 * inherited access-control context: on Java 17 to 23 a new thread captures the protection domains
 * of every frame on its maker's stack, each of which holds its class loader.
 *
 * <pre>{@code
 * Worker w = DetachedThreads.make(() -> new Worker(sched, id, stack));
 * }</pre>
 *
 * <p>The scheduler's own callers pass classes, not lambdas: they run at the start of every program,
 * where each lambda's first use makes the JVM spin a class.
 */
final class DetachedThreads {
  private DetachedThreads() {}

  /**
   * Runs {@code maker} with only the runtime's own frames in the access-control context it
   * captures. Threads are made rarely (a worker at a time), so the privileged call costs nothing
   * that matters.
   */
  @SuppressWarnings("removal") // AccessController is deprecated, but Java 17 still captures it
  static <T extends Thread> T make(PrivilegedAction<T> maker) {
    return AccessController.doPrivileged(maker);
  }
}
