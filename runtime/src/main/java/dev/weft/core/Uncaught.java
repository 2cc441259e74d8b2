package dev.weft.core;

import java.util.List;

/**
 * What happens to an exception that escapes a {@code go} fiber (SPEC section 3): the default
 * uncaught exception handler gets it with the worker thread, as a thread's would; without one, it
 * is printed as a dying thread's is, and the other fibers go on. With {@code -Dweft.uncaught=exit}
 * the JVM then exits with status 2, as a Go panic ends the program.
 *
 * <p>Printing is folded by {@link FailureCounts}: identical failures are printed once, then their
 * count once they stop. Each failure is printed with a single write, so the lines of two failures
 * never interleave. A daemon thread prints the counts when they fall due, and a shutdown hook
 * prints whatever is pending when the JVM exits first; both start with the first failure, so a
 * program that never fails never has them.
 */
final class Uncaught {
  private Uncaught() {}

  /** The binding values of {@code -Dweft.uncaught}. */
  enum Policy {
    PRINT,
    EXIT;

    static Policy parse(String text) {
      if (text == null || text.isBlank() || text.trim().equals("print")) {
        return PRINT;
      }
      if (text.trim().equals("exit")) {
        return EXIT;
      }
      throw new IllegalArgumentException(
          "-Dweft.uncaught=" + text + " is not a policy: use print (the default) or exit");
    }
  }

  private static final Object LOCK = new Object();
  private static final FailureCounts COUNTS = new FailureCounts();
  private static Thread printer; // guarded by LOCK
  private static volatile Policy policy;

  /** Reads {@code weft.uncaught}; throws, naming it, when it holds neither policy. */
  static Policy policy() {
    Policy p = policy;
    if (p == null) {
      p = Policy.parse(System.getProperty("weft.uncaught"));
      policy = p;
    }
    return p;
  }

  static void report(String fiberName, Throwable failure, Thread worker) {
    Thread.UncaughtExceptionHandler handler = Thread.getDefaultUncaughtExceptionHandler();
    boolean handled = false;
    if (handler != null) {
      try {
        handler.uncaughtException(worker, failure);
        handled = true;
      } catch (Throwable broken) {
        // A handler that throws is ignored, as the JVM ignores one for a dying thread; fall
        // through so the original failure is still seen.
      }
    }
    if (policy() == Policy.EXIT) {
      if (!handled) {
        print(fiberName, failure);
      }
      flushAll();
      System.exit(2);
    }
    if (handled) {
      return;
    }
    boolean first;
    synchronized (LOCK) {
      first = COUNTS.record(failure, System.nanoTime());
      if (!first) {
        startPrinter();
        LOCK.notifyAll();
      }
    }
    if (first) {
      print(fiberName, failure);
    }
  }

  /** Through the {@code dev.weft.uncaught} logger: on System.err by default, in one write. */
  private static void print(String fiberName, Throwable failure) {
    RuntimeLog.log(
        RuntimeLog.UNCAUGHT,
        System.Logger.Level.ERROR,
        "Exception in fiber \"" + fiberName + "\" ",
        failure);
  }

  private static void writeLines(List<String> lines) {
    if (!lines.isEmpty()) {
      RuntimeLog.log(
          RuntimeLog.UNCAUGHT,
          System.Logger.Level.ERROR,
          String.join(System.lineSeparator(), lines),
          null);
    }
  }

  private static void flushAll() {
    List<String> lines;
    synchronized (LOCK) {
      lines = COUNTS.all();
    }
    writeLines(lines);
  }

  private static void startPrinter() {
    if (printer != null) {
      return;
    }
    printer = new Thread(Uncaught::printCounts, "weft-failure-counts");
    printer.setDaemon(true);
    printer.start();
    Runtime.getRuntime().addShutdownHook(new Thread(Uncaught::flushAll, "weft-failure-counts-at-exit"));
  }

  /** The printer thread: sleeps until the next count falls due, prints it, and so on forever. */
  private static void printCounts() {
    while (true) {
      List<String> lines;
      synchronized (LOCK) {
        try {
          long wait = COUNTS.nanosUntilDue(System.nanoTime());
          while (wait != 0) {
            if (wait < 0) {
              LOCK.wait();
            } else {
              LOCK.wait(wait / 1_000_000L, (int) (wait % 1_000_000L));
            }
            wait = COUNTS.nanosUntilDue(System.nanoTime());
          }
        } catch (InterruptedException e) {
          return;
        }
        lines = COUNTS.due(System.nanoTime());
      }
      writeLines(lines);
    }
  }
}
