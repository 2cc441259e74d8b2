package dev.weft.frame;

import java.lang.reflect.Method;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a fiber tries to suspend through a frame the agent did not rewrite. Such a frame
 * would carry on after its callee returned half-way, so the suspension is refused before anything
 * is saved, and the message names the method that needs {@code @Suspendable}.
 *
 * <p>An {@link Error}, not an exception: it reports a misconfigured program (a missing annotation
 * or list entry), never a condition the application should handle, so the {@code catch
 * (RuntimeException e)} or {@code catch (Exception e)} an application writes for its own failures
 * must not catch it.
 */
public class UninstrumentedFrameError extends Error {
  private static final long serialVersionUID = 1L;

  /** Shows reflection frames: {@code Method.invoke} is a frame that cannot unwind, to be named. */
  private static final StackWalker WALKER =
      StackWalker.getInstance(
          java.util.EnumSet.of(
              StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_REFLECT_FRAMES));

  UninstrumentedFrameError(String message) {
    super(message);
  }

  /** Walks the current stack to name the culprit. Only on the error path: it costs microseconds. */
  static UninstrumentedFrameError find() {
    List<StackWalker.StackFrame> frames = WALKER.walk(s -> s.collect(Collectors.toList()));
    StringBuilder path = new StringBuilder();
    String culprit = null;
    for (StackWalker.StackFrame f : frames) {
      Class<?> c = f.getDeclaringClass();
      if (c == FrameStack.class || c == UninstrumentedFrameError.class) {
        continue;
      }
      if (c.getName().startsWith("dev.weft.core.") && !isInstrumented(f)) {
        break; // the runtime's own run loop: the bottom of the fiber
      }
      boolean passThrough = c.isSynthetic() || c.getName().contains("$$Lambda") || isReflection(c);
      boolean ok = passThrough || isInstrumented(f);
      path.append("\n    ").append(ok ? "   " : "!! ").append(f.toStackTraceElement());
      if (!ok && culprit == null) {
        culprit = c.getName() + "." + f.getMethodName() + f.getDescriptor();
      }
    }
    String advice =
        culprit != null && culprit.contains(".lambda$")
            ? "the fiber cannot suspend through "
                + culprit
                + ", the body of a lambda whose functional interface method is not suspendable"
                + " (a java.util.function type, Runnable...): pass a SuspendableRunnable,"
                + " SuspendableCallable, SuspendableConsumer or another interface whose method is"
                + " @dev.weft.Suspendable, or use a plain loop."
            : culprit != null
            ? "the fiber cannot suspend through "
                + culprit
                + ", which was not instrumented: annotate it @dev.weft.Suspendable (and the"
                + " interface or superclass method it implements, if it is called through one),"
                + " or list it in META-INF/weft/suspendables."
            : "a call on this path goes to a method whose declaration is not @Suspendable (an"
                + " interface or superclass method whose override suspends): annotate that"
                + " declaration, or list it in META-INF/weft/suspendables.";
    return new UninstrumentedFrameError(
        advice + " Frames marked !! were not instrumented:" + path);
  }

  private static boolean isReflection(Class<?> c) {
    String n = c.getName();
    return n.startsWith("jdk.internal.reflect.") || n.startsWith("java.lang.invoke.");
  }

  private static boolean isInstrumented(StackWalker.StackFrame f) {
    try {
      for (Method m : f.getDeclaringClass().getDeclaredMethods()) {
        if (m.getName().equals(f.getMethodName())
            && f.getDescriptor().equals(descriptor(m))
            && m.isAnnotationPresent(Instrumented.class)) {
          return true;
        }
      }
    } catch (Throwable ignored) {
      // A class we cannot reflect on is reported as not instrumented.
    }
    return false;
  }

  private static String descriptor(Method m) {
    return java.lang.invoke.MethodType.methodType(m.getReturnType(), m.getParameterTypes())
        .toMethodDescriptorString();
  }
}
