package dev.weft.frame;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The thorough mode, {@code -Dweft.checkPath=true}: every suspension walks the fiber's Java stack,
 * from the suspension down to the worker's run loop, and refuses with {@link
 * UninstrumentedFrameError} when a frame on the way was not rewritten. The armed bit that every
 * suspension checks is cleared by a frame that is not rewritten only when that frame calls through
 * a rewritten callee that sees the arm was not made for it; the walk also sees the frames that
 * slip past that check (a proxy or a reflective call that ends on the same receiver, a hidden
 * class, a class whose supertypes the agent could not read), at the price of a stack walk per
 * suspension.
 *
 * <p>Frames that only forward a call and keep nothing are let through: lambda proxies, bridge
 * methods and the JDK's method-handle plumbing ({@code java.lang.invoke}), which a resume simply
 * calls again.
 */
final class PathCheck {
  static final String PROPERTY = "weft.checkPath";

  /** Whether the mode is on; a constant, so the JIT removes the check when it is off. */
  static final boolean ENABLED;

  /** Why the property was rejected, or null; the scheduler refuses to start with it. */
  static final String INVALID;

  static {
    boolean enabled = false;
    String invalid = null;
    try {
      enabled = enabled(System.getProperty(PROPERTY));
    } catch (IllegalArgumentException e) {
      invalid = e.getMessage();
    }
    ENABLED = enabled;
    INVALID = invalid;
  }

  private static final StackWalker WALKER =
      StackWalker.getInstance(
          Set.of(
              StackWalker.Option.RETAIN_CLASS_REFERENCE,
              StackWalker.Option.SHOW_REFLECT_FRAMES,
              StackWalker.Option.SHOW_HIDDEN_FRAMES));

  /** The methods of a class that need no frame of their own: rewritten ones and bridges. */
  private static final ClassValue<Set<String>> RESUMABLE =
      new ClassValue<>() {
        @Override
        protected Set<String> computeValue(Class<?> c) {
          Set<String> names = new HashSet<>();
          try {
            for (Method m : c.getDeclaredMethods()) {
              if (m.isBridge() || m.isAnnotationPresent(Instrumented.class)) {
                names.add(m.getName() + descriptor(m));
              }
            }
          } catch (Throwable e) {
            // A class whose methods cannot be listed is reported as not rewritten.
          }
          return names;
        }
      };

  private PathCheck() {}

  /**
   * Whether the property's text turns the mode on; off when absent.
   *
   * @throws IllegalArgumentException naming the property and the allowed values
   */
  static boolean enabled(String text) {
    if (text == null || text.isBlank()) {
      return false;
    }
    String t = text.trim();
    if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
      return t.equalsIgnoreCase("true");
    }
    throw new IllegalArgumentException(
        "-D" + PROPERTY + "=" + text + " is not valid: use true or false");
  }

  /**
   * Walks the current fiber's stack. Call from the suspension primitives only, just before they
   * commit to unwinding.
   *
   * @return null when every frame on the path can be saved and resumed, else the error to throw
   */
  static UninstrumentedFrameError find() {
    List<StackWalker.StackFrame> frames = WALKER.walk(s -> s.collect(Collectors.toList()));
    StringBuilder path = new StringBuilder();
    // The outermost frame that was not rewritten, and the one that called it: where the path
    // leaves rewritten code, which is what the user can change.
    StackWalker.StackFrame culprit = null;
    StackWalker.StackFrame caller = null;
    boolean top = true;
    for (StackWalker.StackFrame f : frames) {
      Class<?> c = f.getDeclaringClass();
      if (top && (c == FrameStack.class || c == PathCheck.class)) {
        continue; // the suspension primitive and this walk
      }
      top = false;
      if (Carrier.class.isAssignableFrom(c)) {
        break; // the worker's run loop, which called the fiber's entry
      }
      boolean ok = passesThrough(f);
      path.append("\n    ").append(ok ? "   " : "!! ").append(f.toStackTraceElement());
      if (!ok) {
        culprit = f;
        caller = null;
      } else if (culprit != null && caller == null) {
        caller = f;
      }
    }
    if (culprit == null) {
      return null;
    }
    return new UninstrumentedFrameError(
        "-D" + PROPERTY + "=true: the fiber cannot suspend through "
            + culprit.getClassName() + "." + culprit.getMethodName() + culprit.getDescriptor()
            + (caller == null ? "" : " (called at " + caller.toStackTraceElement() + ")")
            + ", " + why(culprit.getDeclaringClass())
            + ". A resume would run it again from its start, repeating what it did before the"
            + " suspension. Frames marked !! were not rewritten:" + path);
  }

  private static boolean passesThrough(StackWalker.StackFrame f) {
    Class<?> c = f.getDeclaringClass();
    if (c.isHidden() && c.getName().contains("$$Lambda")) {
      return true; // a lambda proxy only forwards its arguments
    }
    if (c.getName().startsWith("java.lang.invoke.")) {
      return true; // method-handle forwarding, as under a lambda proxy
    }
    return RESUMABLE.get(c).contains(f.getMethodName() + f.getDescriptor());
  }

  /** Why a frame of {@code c} was not rewritten, as far as the class itself tells. */
  private static String why(Class<?> c) {
    String n = c.getName();
    if (Proxy.isProxyClass(c)) {
      return "a method of a dynamic proxy (java.lang.reflect.Proxy), which forwards to its"
          + " handler: call the suspendable object itself, not a proxy of it";
    }
    if (n.startsWith("jdk.internal.reflect.") || n.startsWith("java.lang.reflect.")) {
      return "a reflective call (Method.invoke): call the suspendable method directly, or through"
          + " an interface whose method is @dev.weft.Suspendable";
    }
    if (c.isHidden()) {
      return "a method of a hidden class, which the agent never sees";
    }
    return "which was not rewritten: annotate it @dev.weft.Suspendable (or list it in"
        + " META-INF/weft/suspendables); if it is, look for a warning from the agent about its"
        + " class (a failed rewrite, or a supertype it could not read)";
  }

  private static String descriptor(Method m) {
    return MethodType.methodType(m.getReturnType(), m.getParameterTypes())
        .toMethodDescriptorString();
  }
}
