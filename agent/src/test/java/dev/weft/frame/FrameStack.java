package dev.weft.frame;

/**
 * Stands in for the runtime's frame stack on this module's class path, empty: the agent rewrites
 * only for loaders that can see the runtime, and this class file is how it looks for it. The
 * agent's tests check rewritten class files, they never run them.
 */
public final class FrameStack {
  private FrameStack() {}
}
