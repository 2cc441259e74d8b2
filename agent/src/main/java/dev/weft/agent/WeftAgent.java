package dev.weft.agent;

import java.lang.instrument.Instrumentation;

/** Placeholder entry point; replaced by the real agent. */
public final class WeftAgent {
  private WeftAgent() {}

  public static void premain(String args, Instrumentation inst) {}

  public static void agentmain(String args, Instrumentation inst) {}
}
