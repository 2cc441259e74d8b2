package dev.weft.agent.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The agent's voice: one line per warning on standard error, each distinct warning once. */
public final class AgentLog {
  private static final Set<String> SAID = ConcurrentHashMap.newKeySet();
  /** Set by the agent at start-up ({@code verbose}, {@code -Dweft.agent.verbose=true}) and by the command. */
  public static volatile boolean verbose;

  private AgentLog() {}

  public static void warn(String message) {
    if (SAID.add(message)) {
      System.err.println("[weft] warning: " + message);
    }
  }

  public static void info(String message) {
    if (verbose) {
      System.err.println("[weft] " + message);
    }
  }
}
