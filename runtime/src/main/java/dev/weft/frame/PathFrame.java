package dev.weft.frame;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;

/**
 * One frame of a fiber's path, as {@link UninstrumentedFrameError} sees it when a suspension is
 * refused: which method, where, and what kind of frame it is. Built on the error path only, where
 * reflection is affordable.
 */
final class PathFrame {

  /** What a frame is, for the question "could it have passed the armed bit on?". */
  enum Kind {
    /** Rewritten by the agent: it passes the arm on at its suspendable call sites. */
    INSTRUMENTED,
    /** A lambda proxy spun by {@code LambdaMetafactory}: stateless, it only forwards the call. */
    LAMBDA_PROXY,
    /** {@code Method.invoke} or {@code Constructor.newInstance}: a reflective call. */
    REFLECTION,
    /** The invoker of a {@code MethodHandle} ({@code invokeExact}, {@code invoke}). */
    METHOD_HANDLE,
    /** A method of a {@link Proxy} class: it calls an {@code InvocationHandler}. */
    DYNAMIC_PROXY,
    /** A method of the JDK, which the agent never rewrites. */
    PLATFORM,
    /** Groovy's dynamic dispatch (call sites, metaclasses, closures' {@code call}), not rewritten. */
    GROOVY_DISPATCH,
    /** A bridge method the compiler generated, not rewritten. */
    BRIDGE,
    /** Any other method the agent did not rewrite. */
    PLAIN
  }

  final Class<?> type;
  final String method;
  final String descriptor;
  final StackTraceElement where;
  final Kind kind;

  PathFrame(Class<?> type, String method, String descriptor, StackTraceElement where) {
    this.type = type;
    this.method = method;
    this.descriptor = descriptor;
    this.where = where;
    this.kind = kindOf(type, method, descriptor);
  }

  /**
   * Frames that only carry a call from one frame to the next and are never the reason a
   * suspension is refused on their own: method-handle plumbing under a lambda or a reflective call.
   */
  static boolean isPlumbing(Class<?> c) {
    String n = c.getName();
    return (n.startsWith("java.lang.invoke.") && !isMethodHandleInvoker(n))
        || n.startsWith("jdk.internal.reflect.");
  }

  /**
   * The lambda form that {@code MethodHandle.invokeExact} and {@code invoke} link to, the only
   * frame such a call leaves (those two methods have none of their own). A lambda proxy calls its
   * target without one.
   */
  private static boolean isMethodHandleInvoker(String className) {
    return className.startsWith("java.lang.invoke.LambdaForm$MH");
  }

  boolean isInstrumented() {
    return kind == Kind.INSTRUMENTED;
  }

  /** {@code pkg.Cls.method(desc)}: unambiguous among overloads. */
  String nameWithDescriptor() {
    return type.getName() + "." + method + descriptor;
  }

  /** {@code pkg.Cls.method(File.java:42)}, the call site as a stack trace shows it. */
  String site() {
    return where.toString();
  }

  boolean isLambdaBody() {
    return method.startsWith("lambda$");
  }

  /** The method this frame runs, or null when reflection cannot see it. */
  Method reflected() {
    return declared(type, method, descriptor);
  }

  static Method declared(Class<?> c, String name, String descriptor) {
    try {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getName().equals(name) && descriptor.equals(descriptorOf(m))) {
          return m;
        }
      }
    } catch (Throwable ignored) {
      // A class whose methods cannot be reflected on (a missing dependency) is seen as plain.
    }
    return null;
  }

  static String descriptorOf(Method m) {
    return java.lang.invoke.MethodType.methodType(m.getReturnType(), m.getParameterTypes())
        .toMethodDescriptorString();
  }

  private static Kind kindOf(Class<?> c, String name, String descriptor) {
    if (c.isHidden() && c.getName().contains("$$Lambda")) {
      return Kind.LAMBDA_PROXY;
    }
    if (Proxy.isProxyClass(c)) {
      return Kind.DYNAMIC_PROXY;
    }
    if (isMethodHandleInvoker(c.getName())) {
      return Kind.METHOD_HANDLE;
    }
    if ((c == Method.class && name.equals("invoke"))
        || (c == java.lang.reflect.Constructor.class && name.equals("newInstance"))) {
      return Kind.REFLECTION;
    }
    ClassLoader loader = c.getClassLoader();
    if (loader == null || loader == ClassLoader.getPlatformClassLoader()) {
      return Kind.PLATFORM;
    }
    Method m = declared(c, name, descriptor);
    if (m != null && m.isAnnotationPresent(Instrumented.class)) {
      return Kind.INSTRUMENTED;
    }
    String n = c.getName();
    if (n.startsWith("org.codehaus.groovy.")
        || n.startsWith("groovy.lang.")
        || n.startsWith("org.apache.groovy.")) {
      return Kind.GROOVY_DISPATCH;
    }
    if (m != null && m.isBridge() && !Modifier.isStatic(m.getModifiers())) {
      return Kind.BRIDGE;
    }
    return Kind.PLAIN;
  }
}
