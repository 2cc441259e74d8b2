package dev.weft.core;

/**
 * What happens to an exception that escapes a {@code go} fiber: the default uncaught exception
 * handler gets it with the worker thread, as a thread's would; without one, it is printed as a
 * dying thread's is. The other fibers go on.
 */
final class Uncaught {
  private Uncaught() {}

  static void report(String fiberName, Throwable failure, Thread worker) {
    Thread.UncaughtExceptionHandler handler = Thread.getDefaultUncaughtExceptionHandler();
    try {
      if (handler != null) {
        handler.uncaughtException(worker, failure);
        return;
      }
    } catch (Throwable broken) {
      // A handler that throws is ignored, as the JVM ignores one for a dying thread; fall through
      // so the original failure is still seen.
    }
    System.err.print("Exception in fiber \"" + fiberName + "\" ");
    failure.printStackTrace(System.err);
  }
}
