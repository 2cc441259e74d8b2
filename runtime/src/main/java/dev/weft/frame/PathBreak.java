package dev.weft.frame;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the armed bit was lost on a fiber's path, found from the frames of a refused suspension.
 *
 * <p>The bit reaching the suspension is the AND over every link of the path (see {@link
 * FrameStack}), so it is lost at a frame the agent did not rewrite, or at a call from a rewritten
 * method through a declaration that is not suspendable (the caller did not arm it, although the
 * method it reached was rewritten). The first kind is certain from the stack alone. The second is
 * certain through a lambda proxy, whose interface method is what the caller called; for a direct
 * virtual call it is only likely, because the stack does not say through which type the caller
 * made it. So the innermost certain break is reported, else the innermost likely one, else
 * {@link Cause#UNKNOWN}.
 */
final class PathBreak {

  enum Cause {
    /** A method the agent did not rewrite: {@link #frame}. */
    NOT_REWRITTEN,
    /** {@link #caller} calls {@link #declaration}, which is not suspendable. */
    DECLARATION,
    /** {@link #frame} is JDK code calling back into the fiber's code. */
    JDK_CALLBACK,
    /** {@link #caller} calls {@link #reached} through {@code Method.invoke}. */
    REFLECTION,
    /** {@link #caller} calls {@link #reached} through a {@code MethodHandle}. */
    METHOD_HANDLE,
    /** {@link #caller} calls a {@code java.lang.reflect.Proxy}, {@link #frame}. */
    DYNAMIC_PROXY,
    /** {@link #caller}, Groovy code, calls {@link #reached} through Groovy's dispatch. */
    GROOVY_DISPATCH,
    /**
     * {@link #caller} calls {@link #reached}, which returns a box, through a method reference
     * whose interface returns the primitive: the lambda proxy {@link #frame} unboxes.
     */
    UNBOXING_PROXY,
    /** Every link looks suspendable: the stack does not say where the bit was lost. */
    UNKNOWN
  }

  final Cause cause;
  /** The frame that refuses the suspension, or null. */
  final PathFrame frame;
  /** The frame that made the call the break is on, or null. */
  final PathFrame caller;
  /** The first frame below the break (a lambda body, a method reference's target), or null. */
  final PathFrame reached;
  /** The declaration the call went through, or null. */
  final Method declaration;
  /**
   * Declarations above {@link #frame} that are not suspendable: a {@link Cause#NOT_REWRITTEN}
   * method called through one of them needs that one made suspendable too.
   */
  final List<Method> alsoNeeded;

  /**
   * True when the stack only suggests the break: a direct virtual call whose declaration the
   * stack does not show (the caller may have called the method through a suspendable one).
   */
  boolean likelyOnly;

  /** Indices (in the path) of the frames to mark: this break and every other certain one. */
  final List<Integer> marked = new ArrayList<>();

  private PathBreak(
      Cause cause,
      PathFrame frame,
      PathFrame caller,
      PathFrame reached,
      Method declaration,
      List<Method> alsoNeeded) {
    this.cause = cause;
    this.frame = frame;
    this.caller = caller;
    this.reached = reached;
    this.declaration = declaration;
    this.alsoNeeded = alsoNeeded;
  }

  /** Finds the break on {@code path}, innermost frame first. */
  static PathBreak find(List<PathFrame> path, SuspendableDeclarations decls) {
    PathBreak first = null;
    PathBreak rootCause = null;
    PathBreak likely = null;
    List<Integer> certain = new ArrayList<>();
    for (int i = 0; i < path.size(); i++) {
      PathBreak b = certainAt(path, i, decls);
      if (b != null) {
        int mark = b.markAt(path, i);
        if (!certain.contains(mark)) {
          certain.add(mark);
        }
        first = first == null ? b : first;
        // A dynamic proxy is the root cause of what its handler does, and Groovy's dispatch of
        // the reflection it makes: fixing the inner break would not let the fiber suspend.
        boolean root = b.cause == Cause.DYNAMIC_PROXY || b.cause == Cause.GROOVY_DISPATCH;
        rootCause = rootCause == null && root ? b : rootCause;
      } else if (likely == null) {
        likely = likelyAt(path, i, decls);
      }
    }
    PathBreak chosen = rootCause != null ? rootCause : first;
    if (chosen != null) {
      chosen.marked.addAll(certain);
      return chosen;
    }
    if (likely != null) {
      likely.marked.add(path.indexOf(likely.caller));
      return likely;
    }
    return new PathBreak(Cause.UNKNOWN, null, null, null, null, List.of());
  }

  /** Where to put the mark of a certain break found at index {@code i}. */
  private int markAt(List<PathFrame> path, int i) {
    return frame != null && path.contains(frame) ? path.indexOf(frame) : i;
  }

  private static PathFrame at(List<PathFrame> path, int i) {
    return i >= 0 && i < path.size() ? path.get(i) : null;
  }

  /** The first frame below {@code i} that is not a lambda proxy, or null. */
  private static PathFrame below(List<PathFrame> path, int i) {
    PathFrame b = at(path, i - 1);
    return b != null && b.kind == PathFrame.Kind.LAMBDA_PROXY ? at(path, i - 2) : b;
  }

  /** The first frame below {@code i} that is none of Groovy's dispatch and no reflection. */
  private static PathFrame belowDispatch(List<PathFrame> path, int i) {
    for (int k = i - 1; k >= 0; k--) {
      PathFrame.Kind kind = path.get(k).kind;
      if (kind != PathFrame.Kind.GROOVY_DISPATCH
          && kind != PathFrame.Kind.REFLECTION
          && kind != PathFrame.Kind.METHOD_HANDLE
          && kind != PathFrame.Kind.LAMBDA_PROXY) {
        return path.get(k);
      }
    }
    return null;
  }

  private static boolean isDispatch(PathFrame f) {
    return f != null
        && (f.kind == PathFrame.Kind.REFLECTION
            || f.kind == PathFrame.Kind.GROOVY_DISPATCH
            || f.kind == PathFrame.Kind.METHOD_HANDLE);
  }

  /** A break that the frame at {@code i} makes by itself, or null. */
  private static PathBreak certainAt(List<PathFrame> path, int i, SuspendableDeclarations decls) {
    PathFrame f = path.get(i);
    PathFrame next = at(path, i + 1);
    switch (f.kind) {
      case INSTRUMENTED:
        return throughLambda(path, i, decls, true);
      case REFLECTION:
        return new PathBreak(Cause.REFLECTION, f, next, below(path, i), null, List.of());
      case METHOD_HANDLE:
        // One break for a run of invokers; none inside Method.invoke, which is the break there.
        if (isDispatch(next)) {
          return null;
        }
        return new PathBreak(Cause.METHOD_HANDLE, f, next, below(path, i), null, List.of());
      case DYNAMIC_PROXY:
        Method api = SuspendableDeclarations.implementedByLambda(f.type, f.method, f.descriptor);
        return new PathBreak(Cause.DYNAMIC_PROXY, f, next, below(path, i), api, List.of());
      case PLATFORM:
        PathFrame proxy = at(path, i - 1);
        Method through =
            proxy != null && proxy.kind == PathFrame.Kind.LAMBDA_PROXY
                ? SuspendableDeclarations.implementedByLambda(
                    proxy.type, proxy.method, proxy.descriptor)
                : null;
        return new PathBreak(Cause.JDK_CALLBACK, f, next, below(path, i), through, List.of());
      case BRIDGE:
        List<Method> bridged = decls.notSuspendableAbove(f.type, f.method, f.descriptor);
        if (!bridged.isEmpty()) {
          return new PathBreak(
              Cause.DECLARATION,
              next != null ? next : f,
              next,
              below(path, i),
              bridged.get(0),
              List.of());
        }
        return new PathBreak(Cause.NOT_REWRITTEN, f, next, null, null, List.of());
      case GROOVY_DISPATCH:
        // One break for a run of dispatch frames: at its outermost, called by Groovy code.
        if (next != null && next.kind == PathFrame.Kind.GROOVY_DISPATCH) {
          return null;
        }
        return new PathBreak(
            Cause.GROOVY_DISPATCH, f, next, belowDispatch(path, i), null, List.of());
      case PLAIN:
        if (isDispatch(next)) {
          return null; // reached reflectively: the dispatch is the break, and names this frame
        }
        PathBreak viaLambda = throughLambda(path, i, decls, false);
        if (viaLambda != null) {
          return viaLambda;
        }
        PathFrame caller =
            next != null && next.kind == PathFrame.Kind.LAMBDA_PROXY ? at(path, i + 2) : next;
        List<Method> above =
            isVirtual(f) ? decls.notSuspendableAbove(f.type, f.method, f.descriptor) : List.of();
        return new PathBreak(Cause.NOT_REWRITTEN, f, caller, null, null, above);
      default:
        return null;
    }
  }

  /** Whether the lambda proxy returns a primitive where its target returns a reference. */
  private static boolean unboxes(PathFrame proxy, PathFrame target) {
    if (proxy.descriptor == null || target.descriptor == null) {
      return false;
    }
    String p = proxy.descriptor.substring(proxy.descriptor.indexOf(')') + 1);
    String t = target.descriptor.substring(target.descriptor.indexOf(')') + 1);
    return p.length() == 1 && !p.equals("V") && (t.startsWith("L") || t.startsWith("["));
  }

  /**
   * The break of a frame called through a lambda proxy whose interface method is not suspendable:
   * the caller did not arm the call, whatever the frame is. When the caller is JDK code, the
   * callback is what cannot suspend. {@code rewrittenCallerOnly}: report it only when the caller
   * was rewritten (otherwise the caller is a break of its own).
   */
  private static PathBreak throughLambda(
      List<PathFrame> path, int i, SuspendableDeclarations decls, boolean rewrittenCallerOnly) {
    PathFrame proxy = at(path, i + 1);
    PathFrame caller = at(path, i + 2);
    if (proxy == null || proxy.kind != PathFrame.Kind.LAMBDA_PROXY) {
      return null;
    }
    Method api =
        SuspendableDeclarations.implementedByLambda(proxy.type, proxy.method, proxy.descriptor);
    PathFrame f = path.get(i);
    if (rewrittenCallerOnly && unboxes(proxy, f)) {
      return new PathBreak(Cause.UNBOXING_PROXY, proxy, caller, f, api, List.of());
    }
    if (api == null || decls.isSuspendable(proxy.type, proxy.method, proxy.descriptor)) {
      return null;
    }
    if (caller != null && caller.kind == PathFrame.Kind.PLATFORM) {
      return rewrittenCallerOnly
          ? null
          : new PathBreak(Cause.JDK_CALLBACK, caller, at(path, i + 3), f, api, List.of());
    }
    if (rewrittenCallerOnly && (caller == null || !caller.isInstrumented())) {
      return null;
    }
    return new PathBreak(Cause.DECLARATION, caller != null ? caller : f, caller, f, api, List.of());
  }

  /**
   * A likely break at a direct call from a rewritten caller into the rewritten frame at {@code
   * i}: the frame overrides a declaration that is not suspendable, through which the caller may
   * have called it.
   */
  private static PathBreak likelyAt(List<PathFrame> path, int i, SuspendableDeclarations decls) {
    PathFrame f = path.get(i);
    PathFrame caller = at(path, i + 1);
    if (!f.isInstrumented() || caller == null || !caller.isInstrumented() || !isVirtual(f)) {
      return null;
    }
    List<Method> above = decls.notSuspendableAbove(f.type, f.method, f.descriptor);
    if (above.isEmpty()) {
      return null;
    }
    PathBreak b = new PathBreak(Cause.DECLARATION, caller, caller, f, above.get(0), List.of());
    // A bridge is only ever called through the declaration it bridges: then it is certain.
    Method m = f.reflected();
    b.likelyOnly = m == null || !m.isBridge();
    return b;
  }

  private static boolean isVirtual(PathFrame f) {
    Method m = f.reflected();
    return m != null
        && !Modifier.isStatic(m.getModifiers())
        && !Modifier.isPrivate(m.getModifiers());
  }
}
