package dev.weft.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.objectweb.asm.ClassReader;

/**
 * The agent's class file transformer: rejects almost every class with a cheap scan, rewrites the
 * rest with {@link ClassRewriter}, and never lets a failure escape. A class it cannot rewrite is
 * loaded unchanged, with one warning.
 */
public final class WeftTransformer implements ClassFileTransformer {
  private final SuspendablesList list = new SuspendablesList();
  private final Map<ClassLoader, ClassHierarchy> hierarchies = new WeakHashMap<>();
  private final Instrumentation inst;
  private final boolean preemptLoops;
  private final boolean strictCheck;
  private volatile ExecutorService retransformer;

  /**
   * Creates the transformer.
   *
   * @param inst the instrumentation to retransform already-loaded classes with, or null
   * @param preemptLoops whether loop back-edges get a preemption check
   * @param strictCheck whether every rewritten class is also checked by ASM's CheckClassAdapter
   */
  public WeftTransformer(Instrumentation inst, boolean preemptLoops, boolean strictCheck) {
    this.inst = inst;
    this.preemptLoops = preemptLoops;
    this.strictCheck = strictCheck;
    list.readFrom(ClassLoader.getSystemClassLoader());
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain domain,
      byte[] bytes) {
    if (className == null || loader == null || isExcluded(className)) {
      return null;
    }
    ClassRewriter rewriter = null;
    try {
      rewriter = rewriterFor(loader, className, bytes);
      return rewriter == null ? null : rewriter.rewrite(bytes);
    } catch (UntransformableException e) {
      AgentLog.warn(unchanged(className, e.getMessage()));
    } catch (Throwable e) {
      AgentLog.warn(unchanged(className, e.toString()));
    }
    return disarmOnly(className, bytes, rewriter);
  }

  /**
   * Rewrites one class as the given loader sees it; null when it needs no change. Public for
   * tests that transform bytes without a running agent.
   */
  public byte[] transform(ClassLoader loader, String className, byte[] bytes) {
    ClassRewriter rewriter = rewriterFor(loader, className, bytes);
    return rewriter == null ? null : rewriter.rewrite(bytes);
  }

  private byte[] disarmOnly(String className, byte[] bytes, ClassRewriter failed) {
    if (failed == null || failed.suspendableNames.isEmpty()) {
      return null;
    }
    try {
      return DisarmingRewriter.rewrite(bytes, failed.suspendableNames);
    } catch (Throwable e) {
      AgentLog.info("cannot add disarm calls to " + className + ": " + e);
      return null;
    }
  }

  /** A rewriter for the class, or null when the cheap scan rejects it. */
  private ClassRewriter rewriterFor(ClassLoader loader, String className, byte[] bytes) {
    ClassHierarchy hierarchy = hierarchy(loader);
    ClassReader reader = new ClassReader(bytes);
    int found = ConstantPoolScan.scan(reader, bytes);
    if (!list.namesAnnotations()) {
      found &= ~ConstantPoolScan.ANY_ANNOTATION; // annotations matter only through @ lines
    }
    if (found == 0 && !list.namesOwner(className) && !inheritsSuspendable(reader, hierarchy)) {
      return null;
    }
    return new ClassRewriter(hierarchy, list, this::retransformLater, preemptLoops, strictCheck);
  }

  private static String unchanged(String className, String why) {
    return "cannot rewrite " + className.replace('/', '.') + " (" + why + "); it is loaded unchanged"
        + " (its suspendable methods only clear the caller's arming), and a fiber that suspends"
        + " through them will fail with an error naming them";
  }

  private boolean inheritsSuspendable(ClassReader reader, ClassHierarchy hierarchy) {
    if (hierarchy.hasSuspendableMethods(reader.getSuperName())) {
      return true;
    }
    for (String i : reader.getInterfaces()) {
      if (hierarchy.hasSuspendableMethods(i)) {
        return true;
      }
    }
    return false;
  }

  private ClassHierarchy hierarchy(ClassLoader loader) {
    synchronized (hierarchies) {
      ClassHierarchy h = hierarchies.get(loader);
      if (h == null) {
        list.readFrom(loader);
        h = new ClassHierarchy(loader, list);
        hierarchies.put(loader, h);
      }
      return h;
    }
  }

  static boolean isExcluded(String className) {
    return ClassHierarchy.isPlatform(className)
        || className.startsWith("dev/weft/agent/")
        || className.startsWith("dev/weft/frame/")
        || className.contains("$$Lambda")
        || className.startsWith("org/objectweb/asm/")
        || className.startsWith("net/bytebuddy/");
  }

  /**
   * A method reference made a method of another class suspendable. If that class is already
   * loaded it must be rewritten now; retransforming from inside a transformer is not allowed, so
   * it happens on a background thread.
   */
  private void retransformLater(String internalName) {
    if (inst == null || !inst.isRetransformClassesSupported()) {
      return;
    }
    ExecutorService ex = retransformer;
    if (ex == null) {
      synchronized (this) {
        if (retransformer == null) {
          retransformer =
              Executors.newSingleThreadExecutor(
                  r -> {
                    Thread t = new Thread(r, "weft-retransformer");
                    t.setDaemon(true);
                    return t;
                  });
        }
        ex = retransformer;
      }
    }
    String name = internalName.replace('/', '.');
    ex.execute(
        () -> {
          for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getName().equals(name) && inst.isModifiableClass(c)) {
              try {
                inst.retransformClasses(c);
              } catch (Throwable e) {
                AgentLog.warn("cannot retransform " + name + ": " + e);
              }
            }
          }
        });
  }
}
