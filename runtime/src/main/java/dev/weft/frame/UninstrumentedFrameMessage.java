package dev.weft.frame;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

/**
 * The text of an {@link UninstrumentedFrameError}: a first line that names what refused the
 * suspension and where it was called, a line with the ways out, then the fiber's path with that
 * place marked {@code !!}. For example:
 *
 * <pre>
 * com.example.Main.get(Main.java:12) calls java.util.function.Function.apply, which is not
 * suspendable, so the fiber cannot suspend below it, in com.example.Main.slow(...).
 *   Ways out: take a dev.weft.SuspendableFunction instead of the Function, or ...
 *   Fiber path, innermost first; !! marks where the suspension is refused:
 *        dev.weft.Weft.sleep(Weft.java:120)
 *        com.example.Main.slow(Main.java:20)
 *        (lambda for java.util.function.Function.apply)
 *     !! com.example.Main.get(Main.java:12)
 * </pre>
 */
final class UninstrumentedFrameMessage {
  private static final String LIST = "META-INF/weft/suspendables";

  /** The suspendable interface of Weft that stands in for a JDK functional interface. */
  private static final Map<String, String> WEFT_COUNTERPART =
      Map.of(
          "java.util.function.Function", "dev.weft.SuspendableFunction",
          "java.util.function.Consumer", "dev.weft.SuspendableConsumer",
          "java.util.function.Supplier", "dev.weft.SuspendableCallable",
          "java.util.concurrent.Callable", "dev.weft.SuspendableCallable",
          "java.lang.Runnable", "dev.weft.SuspendableRunnable");

  private UninstrumentedFrameMessage() {}

  static String write(PathBreak b, List<PathFrame> path) {
    StringBuilder m = new StringBuilder();
    switch (b.cause) {
      case DECLARATION:
        declaration(m, b);
        break;
      case NOT_REWRITTEN:
        notRewritten(m, b);
        break;
      case JDK_CALLBACK:
        m.append(b.frame.nameWithDescriptor())
            .append(calledAt(b.caller))
            .append(" is JDK code, which is never rewritten, so the fiber cannot suspend in a")
            .append(" callback from it");
        if (b.reached != null) {
          m.append(" (here ").append(b.reached.nameWithDescriptor());
          if (b.declaration != null) {
            m.append(" through ").append(name(b.declaration));
          }
          m.append(')');
        }
        m.append(".\n  Way out: a plain loop instead of the JDK method that calls back; the")
            .append(" loop's body may suspend.");
        break;
      case REFLECTION:
        m.append(b.caller == null ? "A call" : b.caller.site() + " calls")
            .append(b.reached == null ? " a method" : " " + b.reached.nameWithDescriptor())
            .append(" through ")
            .append(b.frame.type.getName())
            .append('.')
            .append(b.frame.method)
            .append(", which is never rewritten, so the fiber cannot suspend below it.\n")
            .append("  Way out: call the method directly, or through an interface whose method")
            .append(" is @dev.weft.Suspendable.");
        break;
      case METHOD_HANDLE:
        m.append(b.caller == null ? "A call" : b.caller.site() + " calls")
            .append(b.reached == null ? " a method" : " " + b.reached.nameWithDescriptor())
            .append(" through a java.lang.invoke.MethodHandle, which is never rewritten, so the")
            .append(" fiber cannot suspend below it.\n")
            .append("  Way out: call the method directly, or through an interface whose method")
            .append(" is @dev.weft.Suspendable.");
        break;
      case DYNAMIC_PROXY:
        m.append(b.caller == null ? "A call" : b.caller.site() + " calls")
            .append(b.declaration == null ? " a method" : " " + name(b.declaration))
            .append(" on a java.lang.reflect.Proxy (")
            .append(b.frame.type.getName());
        if (b.reached != null) {
          m.append(", handler ").append(b.reached.nameWithDescriptor());
        }
        m.append("); a dynamic proxy is never rewritten, so the fiber cannot suspend below it.\n")
            .append("  Way out: call the target object directly, or implement the interface with")
            .append(" a class of your own.");
        break;
      case GROOVY_DISPATCH:
        m.append(b.caller == null ? "A call" : b.caller.site() + " calls")
            .append(b.reached == null ? " a method" : " " + b.reached.nameWithDescriptor())
            .append(" through Groovy's runtime (")
            .append(b.frame.type.getName())
            .append('.')
            .append(b.frame.method)
            .append("), which is never rewritten, so the fiber cannot suspend below it.\n")
            .append("  Ways out: compile the calling code with @groovy.transform.CompileStatic,")
            .append(" so that it calls methods directly; a closure is always called through")
            .append(" the metaclass, so write a for loop instead of each, collect...");
        break;
      case UNBOXING_PROXY:
        m.append(b.caller == null ? "A call" : b.caller.site() + " calls")
            .append(' ')
            .append(b.reached.nameWithDescriptor())
            .append(" through a method reference that unboxes its result (the interface")
            .append(b.declaration == null ? "" : " " + name(b.declaration))
            .append(" returns a primitive), so the fiber cannot suspend below it: the lambda")
            .append(" would unbox the dummy result of the unwinding method.\n")
            .append("  Ways out: a lambda, () -> method(), instead of the method reference (its")
            .append(" body is rewritten and unboxes after the suspension), or a method that")
            .append(" returns the primitive.");
        break;
      default:
        m.append("The fiber cannot suspend here, and its stack does not show which call lost")
            .append(" the right to: every frame listed below was rewritten.\n")
            .append("  Look for a call on this path through an interface or superclass method")
            .append(" that is neither @dev.weft.Suspendable nor listed in ")
            .append(LIST)
            .append(" (the rewritten method it reaches cannot tell), and make that declaration")
            .append(" suspendable.");
    }
    path(m, b, path);
    return m.toString();
  }

  private static void declaration(StringBuilder m, PathBreak b) {
    Method d = b.declaration;
    m.append(b.caller == null ? "A call" : b.caller.site() + " calls");
    if (b.likelyOnly && b.reached != null) {
      m.append(' ')
          .append(b.reached.nameWithDescriptor())
          .append(", most likely through ")
          .append(name(d))
          .append(", which is not suspendable, so the fiber cannot suspend below it");
    } else {
      m.append(b.caller == null ? " to " : " ")
          .append(name(d))
          .append(", which is not suspendable, so the fiber cannot suspend below it");
      if (b.reached != null) {
        m.append(", in ").append(b.reached.nameWithDescriptor());
      }
    }
    m.append(".\n  Ways out: ");
    String owner = d.getDeclaringClass().getName();
    if (isPlatform(d.getDeclaringClass())) {
      String counterpart = WEFT_COUNTERPART.get(owner);
      m.append("take a ")
          .append(counterpart != null ? counterpart : "interface whose method is @dev.weft.Suspendable")
          .append(" instead of the ")
          .append(d.getDeclaringClass().getSimpleName())
          .append(", or make ")
          .append(name(d))
          .append(" suspendable in your code with the line ")
          .append(listLine(d))
          .append(" in a ")
          .append(LIST)
          .append(" resource (JDK code that calls it still cannot suspend).");
    } else {
      m.append("annotate ")
          .append(name(d))
          .append(" @dev.weft.Suspendable, or add the line ")
          .append(listLine(d))
          .append(" to a ")
          .append(LIST)
          .append(" resource.");
    }
  }

  private static void notRewritten(StringBuilder m, PathBreak b) {
    PathFrame f = b.frame;
    m.append(f.nameWithDescriptor())
        .append(calledAt(b.caller))
        .append(" was not rewritten, so the fiber cannot suspend through it.\n")
        .append("  Ways out: annotate it @dev.weft.Suspendable, or add the line ")
        .append(f.type.getName())
        .append('#')
        .append(f.method)
        .append(" to a ")
        .append(LIST)
        .append(" resource");
    if (!b.alsoNeeded.isEmpty()) {
      m.append("; calls through ")
          .append(name(b.alsoNeeded.get(0)))
          .append(", which it implements, need that declaration made suspendable too");
    }
    m.append(". If it is already, its class could not be rewritten: the agent printed why when")
        .append(" the class loaded.");
  }

  private static void path(StringBuilder m, PathBreak b, List<PathFrame> path) {
    m.append(
        b.marked.isEmpty()
            ? "\n  Fiber path, innermost first:"
            : "\n  Fiber path, innermost first; !! marks where the suspension is refused:");
    for (int i = 0; i < path.size(); i++) {
      PathFrame f = path.get(i);
      m.append(b.marked.contains(i) ? "\n    !! " : "\n       ");
      if (f.kind == PathFrame.Kind.METHOD_HANDLE) {
        m.append("(MethodHandle invocation)");
      } else if (f.kind == PathFrame.Kind.LAMBDA_PROXY) {
        Method api = SuspendableDeclarations.implementedByLambda(f.type, f.method, f.descriptor);
        m.append("(lambda for ").append(api == null ? f.type.getName() : name(api)).append(')');
      } else {
        m.append(f.site());
      }
    }
  }

  private static String calledAt(PathFrame caller) {
    return caller == null ? "," : ", called at " + caller.site() + ",";
  }

  private static String name(Method d) {
    return d.getDeclaringClass().getName() + "." + d.getName();
  }

  private static String listLine(Method d) {
    return d.getDeclaringClass().getName() + "#" + d.getName();
  }

  private static boolean isPlatform(Class<?> c) {
    ClassLoader loader = c.getClassLoader();
    return loader == null || loader == ClassLoader.getPlatformClassLoader();
  }
}
