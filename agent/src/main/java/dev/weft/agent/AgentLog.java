package dev.weft.agent;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The agent's voice: one line per warning on standard error, each distinct warning once. */
final class AgentLog {
  private static final Set<String> SAID = ConcurrentHashMap.newKeySet();
  static volatile boolean verbose = Boolean.getBoolean("weft.agent.verbose");

  private AgentLog() {}

  static void warn(String message) {
    if (SAID.add(message)) {
      System.err.println("[weft] warning: " + message);
    }
  }

  static void info(String message) {
    if (verbose) {
      System.err.println("[weft] " + message);
    }
  }
}
