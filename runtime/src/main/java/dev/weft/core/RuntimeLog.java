package dev.weft.core;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Where the runtime's messages go: through {@link System.Logger}, so that a program can redirect
 * or silence them (docs/configuration.md, "Output"). The loggers:
 *
 * <ul>
 *   <li>{@link #RUNTIME} {@code dev.weft}: warnings (a worker that could not start, a failed
 *       network poll), internal errors, the stress mode's start-up line;
 *   <li>{@link #PINNED} {@code dev.weft.pinned}: a fiber that blocked while holding a monitor;
 *   <li>{@link #UNCAUGHT} {@code dev.weft.uncaught}: an exception that escaped a fiber, and the
 *       counts of identical ones.
 * </ul>
 *
 * <p>With the JDK's own {@link System.LoggerFinder} (java.util.logging, or the plain one without
 * it), a message the logger's level lets through is written to the current {@code System.err}
 * exactly as the runtime always wrote it, in one write (SPEC section 3: printed on
 * {@code System.err}); its level still applies ({@code dev.weft.level = OFF} silences it). With
 * any other finder (a logging library's), the record goes to the logger. Only on paths that
 * report something: nothing here runs on a hot path.
 */
final class RuntimeLog {
  static final String RUNTIME = "dev.weft";
  static final String PINNED = "dev.weft.pinned";
  static final String UNCAUGHT = "dev.weft.uncaught";

  private RuntimeLog() {}

  /**
   * Logs {@code text}, with {@code thrown}'s stack trace when not null. On {@code System.err},
   * the text is followed by the stack trace, or by a line separator when there is none.
   */
  static void log(String logger, Level level, String text, Throwable thrown) {
    Logger l = System.getLogger(logger);
    if (!l.isLoggable(level)) {
      return;
    }
    if (JdkFinder.IS_DEFAULT) {
      PrintStream err = System.err;
      err.print(thrown == null ? text + System.lineSeparator() : text + stackTrace(thrown));
      err.flush();
    } else if (thrown == null) {
      l.log(level, text);
    } else {
      l.log(level, text.strip(), thrown);
    }
  }

  static String stackTrace(Throwable t) {
    StringWriter s = new StringWriter();
    try (PrintWriter w = new PrintWriter(s)) {
      t.printStackTrace(w);
    }
    return s.toString();
  }

  /** Whether the logger finder is the JDK's own, read once, at the first message. */
  private static final class JdkFinder {
    static final boolean IS_DEFAULT = isJdks(System.LoggerFinder.getLoggerFinder());

    static boolean isJdks(System.LoggerFinder finder) {
      String module = finder.getClass().getModule().getName();
      return module != null && (module.startsWith("java.") || module.startsWith("jdk."));
    }
  }
}
