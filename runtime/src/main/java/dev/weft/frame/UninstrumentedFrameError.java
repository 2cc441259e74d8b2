package dev.weft.frame;

import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Thrown when a fiber tries to suspend through a frame the agent did not rewrite. Such a frame
 * would carry on after its callee returned half-way, so the suspension is refused before anything
 * is saved. The message names what to change: the method that was not rewritten, or the
 * declaration that is not suspendable (such as {@code java.util.function.Function.apply}) and the
 * call site that called it, with the ways out, then the fiber's path with that place marked.
 *
 * <p>An {@link Error}, not an exception: it reports a misconfigured program (a missing annotation
 * or list entry), never a condition the application should handle, so the {@code catch
 * (RuntimeException e)} or {@code catch (Exception e)} an application writes for its own failures
 * must not catch it.
 */
public class UninstrumentedFrameError extends Error {
  private static final long serialVersionUID = 1L;

  /** Hidden frames included: lambda proxies are links of the path, and so is {@code Method.invoke}. */
  private static final StackWalker WALKER =
      StackWalker.getInstance(
          Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES));

  UninstrumentedFrameError(String message) {
    super(message);
  }

  /** Walks the current stack to explain the refusal. Only on the error path: it costs a few ms. */
  static UninstrumentedFrameError find() {
    List<PathFrame> path = WALKER.walk(UninstrumentedFrameError::fiberPath);
    Set<ClassLoader> loaders = new LinkedHashSet<>();
    for (PathFrame f : path) {
      if (f.kind != PathFrame.Kind.PLATFORM && f.type.getClassLoader() != null) {
        loaders.add(f.type.getClassLoader());
      }
    }
    if (loaders.isEmpty()) {
      loaders.add(null);
    }
    PathBreak found = PathBreak.find(path, new SuspendableDeclarations(loaders));
    String message = UninstrumentedFrameMessage.write(found, path);
    boolean agentMissing = !agentInstalled() && !rewrittenOutsideTheRuntime(path);
    return new UninstrumentedFrameError(agentMissing ? NO_AGENT + message : message);
  }

  /**
   * Said first when no agent was installed in this JVM and nothing on the fiber's path but the
   * runtime was rewritten ahead of time. weft-runtime ships rewritten, so its own methods suspend
   * without the agent and cannot tell that it is missing; the user's code is then the first frame
   * found not rewritten, and being told to annotate a lambda that is suspendable already would
   * send the user the wrong way. When some of the user's frames were rewritten ahead of time, one
   * method was missed, and the usual message names it.
   */
  static final String NO_AGENT =
      "No Weft agent was installed in this JVM, so only code rewritten ahead of time can suspend."
          + " Start the JVM with -javaagent:/path/to/weft-agent.jar, or rewrite the application"
          + " ahead of time (java -jar weft-agent.jar instrument, or weft-maven-plugin; docs/aot.md)."
          + "\n  What the fiber met: ";

  /** Whether a frame of the path that is not the runtime's own was rewritten. */
  private static boolean rewrittenOutsideTheRuntime(List<PathFrame> path) {
    CodeSource runtime = UninstrumentedFrameError.class.getProtectionDomain().getCodeSource();
    for (PathFrame f : path) {
      if (f.isInstrumented()
          && !Objects.equals(f.type.getProtectionDomain().getCodeSource(), runtime)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the agent was installed in this JVM: it sets this property when it starts. */
  static boolean agentInstalled() {
    return System.getProperty("weft.agent.installed") != null;
  }

  /** The frames from the suspension (innermost) down to the bottom of the fiber. */
  private static List<PathFrame> fiberPath(java.util.stream.Stream<StackWalker.StackFrame> s) {
    List<PathFrame> path = new ArrayList<>();
    for (StackWalker.StackFrame f : (Iterable<StackWalker.StackFrame>) s::iterator) {
      Class<?> c = f.getDeclaringClass();
      if (c.getPackageName().equals("dev.weft.frame") || PathFrame.isPlumbing(c)) {
        continue;
      }
      PathFrame frame =
          new PathFrame(c, f.getMethodName(), f.getDescriptor(), f.toStackTraceElement());
      if (c.getName().startsWith("dev.weft.core.") && !frame.isInstrumented()) {
        break; // the runtime's own run loop: the bottom of the fiber
      }
      path.add(frame);
    }
    return path;
  }
}
