package dev.weft.core;

import java.net.URL;
import java.security.CodeSource;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Warns, once per place, that a fiber blocked while holding a monitor: it pins its worker thread
 * (the scheduler compensates, but the thread is lost for the time it blocks, as with Loom's
 * pinning). The place is the first frame that is not Weft's own (not loaded from the runtime's
 * jar).
 */
final class PinnedWarnings {
  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
  private static final URL RUNTIME = location(PinnedWarnings.class);
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
  private static final int SHOWN_FRAMES = 6;

  private PinnedWarnings() {}

  /** Called on the pinned fiber's thread just before it blocks; costs a stack walk. */
  static void warnOnce() {
    List<StackWalker.StackFrame> frames =
        WALKER.walk(
            s ->
                s.filter(f -> !isRuntime(f.getDeclaringClass()))
                    .limit(SHOWN_FRAMES)
                    .collect(Collectors.toList()));
    String place =
        frames.isEmpty() ? "(unknown place)" : frames.get(0).toStackTraceElement().toString();
    if (!WARNED.add(place)) {
      return;
    }
    StringBuilder b = new StringBuilder(message(place));
    for (StackWalker.StackFrame f : frames) {
      b.append("\n\tat ").append(f.toStackTraceElement());
    }
    RuntimeLog.log(RuntimeLog.PINNED, System.Logger.Level.WARNING, b.toString(), null);
  }

  /** The warning's first line, for a fiber that blocked while pinned at {@code place}. */
  static String message(String place) {
    return "WARNING: Weft: a fiber blocked while holding a monitor (synchronized) at "
        + place
        + ". It pins its worker thread until it wakes; the scheduler adds a worker meanwhile."
        + " To wait without holding the thread, lock a dev.weft.Mutex instead: a fiber"
        + " waiting for it suspends. A java.util.concurrent lock does not help here: a fiber"
        + " waiting for one blocks the worker thread as synchronized does.";
  }

  /** Weft's runtime classes come from the same jar (or directory) as this one. */
  private static boolean isRuntime(Class<?> c) {
    return c.getName().startsWith("dev.weft.") && Objects.equals(location(c), RUNTIME);
  }

  private static URL location(Class<?> c) {
    CodeSource cs = c.getProtectionDomain().getCodeSource();
    return cs == null ? null : cs.getLocation();
  }
}
