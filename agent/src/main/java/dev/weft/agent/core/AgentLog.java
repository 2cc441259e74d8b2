package dev.weft.agent.core;

import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's voice: the {@code dev.weft.agent} {@link System.Logger}, each distinct warning once.
 * With the JDK's own logger finder, a message its level lets through is written to the current
 * {@code System.err} as one {@code [weft]} line, as before loggers; with a logging library's
 * finder, the record goes to it. docs/configuration.md, "Output", says how to redirect or silence it.
 */
public final class AgentLog {
  public static final String NAME = "dev.weft.agent";
  private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

  /** Set by the agent at start-up ({@code verbose}, {@code -Dweft.agent.verbose=true}) and by the command. */
  public static volatile boolean verbose;

  private AgentLog() {}

  public static void warn(String message) {
    if (SAID.add(message)) {
      log(Level.WARNING, "[weft] warning: ", message);
    }
  }

  /** What stops the agent from working at all. */
  public static void error(String message) {
    log(Level.ERROR, "[weft] error: ", message);
  }

  /** What {@code verbose} lists; logged at INFO, so a level above it silences it too. */
  public static void info(String message) {
    if (verbose) {
      log(Level.INFO, "[weft] ", message);
    }
  }

  private static void log(Level level, String prefix, String message) {
    Logger l = System.getLogger(NAME);
    if (!l.isLoggable(level)) {
      return;
    }
    if (JdkFinder.IS_DEFAULT) {
      PrintStream err = System.err;
      err.println(prefix + message);
    } else {
      l.log(level, message);
    }
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
