package dev.weft.conformance.fuzz;

import dev.weft.SuspendableCallable;
import dev.weft.Weft;
import dev.weft.frame.UninstrumentedFrameError;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one generated program plainly on the calling thread, then in a fiber that suspends at every
 * suspend point, then in a fiber that suspends at random ones, and compares: the same ending and
 * the same side effects in the same order; or, where a fiber suspended below a method that is not
 * annotated, the uninstrumented-frame error naming that method, after the same side effects.
 */
final class DifferentialRun implements AutoCloseable {
  /** A hang is a failure too, but the guard is against hangs, not a timing assertion. */
  private static final long HANG_SECONDS = 30;

  private ExecutorService fiberCaller = newCaller();

  private static ExecutorService newCaller() {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, "fuzz-fiber-caller");
          t.setDaemon(true);
          return t;
        });
  }

  /** Null when every run agrees, else what differed. */
  String check(SuspendableCallable<Long> program, long seed) {
    Outcome plain = plain(program, seed);
    for (Trace.Mode mode : List.of(Trace.Mode.EVERY, Trace.Mode.RANDOM)) {
      Outcome fiber;
      try {
        fiber = inFiber(program, new Trace(mode, seed));
      } catch (TimeoutException e) {
        fiberCaller.shutdownNow();
        fiberCaller = newCaller();
        return mode + ": the fiber did not end within " + HANG_SECONDS + " s";
      }
      String difference = compare(plain, fiber);
      if (difference != null) {
        return mode + ": " + difference;
      }
    }
    return null;
  }

  private static Outcome plain(SuspendableCallable<Long> program, long seed) {
    Trace trace = new Trace(Trace.Mode.PLAIN, seed);
    SuspendPoint.current = trace;
    try {
      return Outcome.returned(program.call(), trace);
    } catch (Throwable t) {
      return Outcome.threw(t, trace);
    }
  }

  private Outcome inFiber(SuspendableCallable<Long> program, Trace trace) throws TimeoutException {
    SuspendPoint.current = trace;
    Future<Outcome> done =
        fiberCaller.submit(
            () -> {
              try {
                return Outcome.returned(Weft.call(program), trace);
              } catch (Throwable t) {
                return Outcome.threw(t, trace);
              }
            });
    try {
      return done.get(HANG_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  static String compare(Outcome plain, Outcome fiber) {
    Trace t = fiber.trace;
    if (!t.silentSuspensions.isEmpty()) {
      return t.silentSuspensions.get(0);
    }
    if (t.refusedAt != null) {
      boolean named =
          fiber.thrown instanceof UninstrumentedFrameError
              && fiber.thrown.getMessage().contains(t.refusedAt);
      // A suspend point in a finally block may run out of fuel while the error is in flight.
      if (!named && !(fiber.thrown instanceof FuelExhausted)) {
        return "suspended below " + t.refusedAt + ": expected the uninstrumented-frame error"
            + " naming it, but the fiber " + fiber.ending;
      }
      return events(plain.trace.events, t.events, t.firstRefusal);
    }
    if (!plain.ending.equals(fiber.ending)) {
      String d = events(plain.trace.events, t.events, Integer.MAX_VALUE);
      return "plainly the program " + plain.ending + ", in a fiber it " + fiber.ending
          + (d == null ? "" : "; " + d);
    }
    return events(plain.trace.events, t.events, Integer.MAX_VALUE);
  }

  /** Compares the first {@code limit} side effects; null when they agree. */
  private static String events(List<String> plain, List<String> fiber, int limit) {
    int n = Math.min(limit, Math.max(plain.size(), fiber.size()));
    for (int i = 0; i < n; i++) {
      String p = i < plain.size() ? plain.get(i) : "(nothing)";
      String f = i < fiber.size() ? fiber.get(i) : "(nothing)";
      if (!p.equals(f)) {
        return "side effect " + i + " (site=value) was " + p + " plainly but " + f
            + " in the fiber";
      }
    }
    return null;
  }

  @Override
  public void close() {
    fiberCaller.shutdownNow();
  }
}
