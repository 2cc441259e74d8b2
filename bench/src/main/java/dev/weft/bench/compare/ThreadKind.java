package dev.weft.bench.compare;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Platform or virtual threads, started the same way. Virtual threads are reached by reflection so
 * that this module still compiles for Java 17; they need Java 21 or later to run.
 *
 * <pre>{@code
 * ThreadKind.VIRTUAL.start(() -> work());
 * }</pre>
 */
enum ThreadKind {
  /** One OS thread each; daemons, so that a benchmark ends when its main thread does. */
  PLATFORM("threads") {
    @Override
    void start(Runnable task) {
      Thread t = new Thread(task);
      t.setDaemon(true);
      t.start();
    }

    @Override
    int parallelism() {
      return Runtime.getRuntime().availableProcessors();
    }
  },
  /** Java 21+ virtual threads on the JDK's default scheduler. */
  VIRTUAL("vthreads") {
    @Override
    void start(Runnable task) {
      try {
        StartVirtual.HANDLE.invoke(task);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }

    @Override
    int parallelism() {
      return Integer.getInteger(
          "jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
    }
  };

  /** The prefix in system names, as in {@code vthreads-sq}. */
  final String label;

  ThreadKind(String label) {
    this.label = label;
  }

  /** Starts {@code task} in a new thread of this kind. */
  abstract void start(Runnable task);

  /** How many of these threads can run at once. */
  abstract int parallelism();

  /** Looked up on first use only, so platform-thread runs work on Java 17. */
  private static final class StartVirtual {
    static final MethodHandle HANDLE = find();

    private static MethodHandle find() {
      try {
        return MethodHandles.publicLookup()
            .findStatic(
                Thread.class,
                "startVirtualThread",
                MethodType.methodType(Thread.class, Runnable.class));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(
            "virtual threads need Java 21 or later; this is Java " + Runtime.version(), e);
      }
    }
  }
}
