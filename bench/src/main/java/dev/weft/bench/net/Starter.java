package dev.weft.bench.net;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Starts a task on a new platform or virtual thread. Virtual threads are reached by reflection so
 * that the module compiles for Java 17; they need Java 21 or later to run.
 *
 * <pre>{@code
 * Starter.named("vthreads").start(() -> serve(socket));
 * }</pre>
 */
enum Starter {
  PLATFORM {
    @Override
    void start(Runnable task) {
      new Thread(task).start(); // the default stack, as a user gets it
    }
  },
  VIRTUAL {
    @Override
    void start(Runnable task) {
      try {
        VirtualThreads.START.invoke(task);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
  };

  abstract void start(Runnable task);

  static Starter named(String name) {
    switch (name) {
      case "threads":
        return PLATFORM;
      case "vthreads":
        return VIRTUAL;
      default:
        throw new IllegalArgumentException("threads or vthreads, not " + name);
    }
  }

  /** Looked up on first use only, so platform threads work on Java 17. */
  private static final class VirtualThreads {
    static final MethodHandle START = find();

    private static MethodHandle find() {
      try {
        return MethodHandles.publicLookup()
            .findStatic(
                Thread.class,
                "startVirtualThread",
                MethodType.methodType(Thread.class, Runnable.class));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("virtual threads need Java 21 or later", e);
      }
    }
  }
}
