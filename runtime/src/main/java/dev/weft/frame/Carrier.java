package dev.weft.frame;

/**
 * A thread that runs fibers. {@link FrameStack#current()} finds the running fiber's stack here
 * with one type check and one field load, cheaper than a {@code ThreadLocal}.
 */
public abstract class Carrier extends Thread {
  /** The stack of the fiber this thread is running now, or null between fibers. */
  protected FrameStack frames;

  /**
   * The last lambda proxy class seen to call {@link #passCallee} straight, as {@link
   * FrameStack#armedThrough(Class)} found it: a call through a lambda proxy ({@code
   * ch.forEach(v -> out.send(v))}, {@code ch.forEach(out::send)}) then costs its callee two compares
   * instead of a {@code ClassValue} lookup. Only a pair that lookup accepted is kept, and it stays
   * true forever (a proxy's targets are only ever added to), so the memo answers exactly as the
   * lookup would. Written and read by this thread only, while it runs a fiber.
   */
  Class<?> passProxy;

  /** The callee class of {@link #passProxy}'s remembered pass-through. */
  Class<?> passCallee;

  /**
   * The class a static call armed on this thread names, while the running fiber's {@link
   * FrameStack#armedFor} is null (see {@link FrameStack#armStatic}): kept here rather than in the
   * fiber because the fiber is a long-lived object among a hundred thousand, and a reference stored
   * into it dirties a card that the collector's concurrent refinement then scans, once per sleep of
   * every fiber; a carrier is one object whose card stays dirty. Null for a class file before Java
   * 5, which has no class constant. Written and read by this thread only, between an arm and the
   * callee's prologue, which nothing can come between but a class initialiser, and that holds the
   * arm aside ({@link FrameStack#heldFor()}).
   */
  Class<?> armedClass;

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

  /**
   * Forgets the remembered pass-through, so that a thread that has nothing to run keeps no
   * application's classes (and their class loader) reachable: called when the thread goes idle.
   */
  protected final void forgetPassThrough() {
    passProxy = null;
    passCallee = null;
    armedClass = null;
  }
}
