package dev.weft.frame;

/**
 * A thread that runs fibers. {@link FrameStack#current()} finds the running fiber's stack here
 * with one type check and one field load, cheaper than a {@code ThreadLocal}.
 */
public abstract class Carrier extends Thread {
  /** The stack of the fiber this thread is running now, or null between fibers. */
  protected FrameStack frames;

  /**
   * Creates a carrier.
   *
   * @param group the thread group, or null
   * @param name the thread's name
   * @param stackSize the requested stack size in bytes (0 for the JVM's default)
   */
  protected Carrier(ThreadGroup group, String name, long stackSize) {
    // No inherited thread-locals: a worker must not carry the values of whichever thread happened
    // to start it into every fiber it runs.
    super(group, null, name, stackSize, false);
  }
}
