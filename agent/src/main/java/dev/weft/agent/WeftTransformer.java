package dev.weft.agent;

import dev.weft.agent.core.AgentLog;
import dev.weft.agent.core.FrameContract;
import dev.weft.agent.hierarchy.ClassHierarchy;
import dev.weft.agent.hierarchy.ClassFileHeader;
import dev.weft.agent.hierarchy.SuspendablesList;
import dev.weft.agent.rewrite.ClassRewriter;
import dev.weft.agent.rewrite.DisarmingRewriter;
import dev.weft.agent.rewrite.UntransformableException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.objectweb.asm.ClassReader;

/**
 * The agent's class file transformer: rejects almost every class with a cheap scan, rewrites the
 * rest with {@link ClassRewriter}, and never lets a failure escape. A class it cannot rewrite is
 * loaded unchanged, with one warning.
 *
 * <p>Start-up cost is the cost of the rejections: a large application loads thousands of classes
 * with nothing suspendable. The JDK's own classes and those of a loader that cannot see the
 * runtime are turned away on their name and loader alone; the rest on their {@link
 * ClassFileHeader}, read from the bytes without ASM, and on what the hierarchy knows of their
 * supertypes. ASM parses only the classes that may need rewriting.
 */
public final class WeftTransformer implements ClassFileTransformer {
  private final SuspendablesList list = new SuspendablesList();
  /**
   * Weak keys, and values that hold their loader only weakly: an application server that drops a
   * loader gets it collected, with its hierarchy.
   */
  private final Map<ClassLoader, ClassHierarchy> hierarchies = new WeakHashMap<>();
  /** Whether each loader can see the runtime ({@link #seesRuntime}); weak keys, as above. */
  private final Map<ClassLoader, Boolean> runtimeVisible = new WeakHashMap<>();
  private final Instrumentation inst;
  private final boolean preemptLoops;
  private final boolean strictCheck;
  /** Hears of each class a method reference made suspendable, which may be loaded already. */
  private final Consumer<String> onForeignTarget;
  /** The class whose class file says the runtime is visible: what rewritten code calls. */
  private final String runtimeClass;
  private volatile ExecutorService retransformer;
  /**
   * Whether the lists of the system class loader were read, which at load time count for every
   * loader. They are read before the first hierarchy is made, not at start-up: a program none of
   * whose loaders sees the runtime never needs them.
   */
  private volatile boolean classPathListsRead;

  private static final ClassLoader PLATFORM_LOADER = ClassLoader.getPlatformClassLoader();

  /**
   * Creates the transformer.
   *
   * @param inst the instrumentation to retransform already-loaded classes with, or null
   * @param preemptLoops whether loop back-edges get a preemption check
   * @param strictCheck whether every rewritten class is also checked by ASM's CheckClassAdapter
   */
  public WeftTransformer(Instrumentation inst, boolean preemptLoops, boolean strictCheck) {
    this(inst, preemptLoops, strictCheck, FrameContract.FRAME_STACK);
  }

  /** As the public constructor, with the runtime found through another class: for tests. */
  WeftTransformer(
      Instrumentation inst, boolean preemptLoops, boolean strictCheck, String runtimeClass) {
    this.inst = inst;
    this.preemptLoops = preemptLoops;
    this.strictCheck = strictCheck;
    this.runtimeClass = runtimeClass;
    // Not a method reference: the agent's paths before main use no invokedynamic, whose first
    // use in a JVM costs tens of milliseconds (docs/design.md, "Start-up").
    this.onForeignTarget =
        new Consumer<String>() {
          @Override
          public void accept(String internalName) {
            retransformLater(internalName);
          }
        };
    this.classPathListsRead = false;
  }

  /**
   * Creates a transformer for ahead-of-time instrumentation: it reads the suspendables lists only
   * of the loaders it is given classes of, and tells {@code onForeignTarget} of each class a
   * method reference made suspendable, so that the caller can rewrite it again.
   */
  public WeftTransformer(
      boolean preemptLoops, boolean strictCheck, Consumer<String> onForeignTarget) {
    this.inst = null;
    this.preemptLoops = preemptLoops;
    this.strictCheck = strictCheck;
    this.onForeignTarget = onForeignTarget;
    this.runtimeClass = FrameContract.FRAME_STACK;
    this.classPathListsRead = true; // only the lists of the loaders it is given classes of
  }

  /**
   * Makes a method suspendable as a {@code META-INF/weft/suspendables} line would, in internal
   * form: {@code com/example/Foo#bar} or {@code com/example/Foo#bar(Ljava/lang/String;)V}; or
   * every method annotated with an annotation, {@code @Lcom/example/Handler;}.
   */
  public void addSuspendable(String entry) {
    list.add(entry);
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain domain,
      byte[] bytes) {
    if (className == null
        || loader == null
        || loader == PLATFORM_LOADER
        || isExcluded(className)) {
      return null;
    }
    if (!seesRuntime(loader)) {
      return null;
    }
    if (classBeingRedefined != null && rewrittenAlready(bytes)) {
      // Another agent retransforms a class written ahead of time (a profiler, a coverage or a
      // testing tool). The JVM rebuilds its bytes from what it loaded, without the mark, which
      // has class retention, but with the mark's name still in the constant pool; its version
      // was checked when it was first loaded, and the code is the code that runs now.
      return null;
    }
    Outcome outcome = rewrite(loader, className, bytes);
    if (outcome.failure() != null) {
      AgentLog.warn(unchanged(className, outcome.failure()));
    }
    return outcome.bytes();
  }

  /**
   * What became of one class: its new bytes, or null when it is to be loaded as it was; and, when
   * it could not be rewritten, why. A class that failed is disarmed when it had suspendable
   * methods ({@code bytes} then holds the disarmed class).
   */
  public record Outcome(byte[] bytes, String failure) {}

  /**
   * Rewrites one class as the given loader sees it, exactly as at load time, and never throws:
   * ahead-of-time instrumentation calls this for each class of its input.
   */
  public Outcome rewrite(ClassLoader loader, String className, byte[] bytes) {
    ClassHierarchy hierarchy = hierarchy(loader);
    ClassFileHeader header = null;
    ClassRewriter rewriter = null;
    byte[] out;
    String failure = null;
    try {
      header = ClassFileHeader.read(bytes);
      if ((header.found & ClassFileHeader.REWRITTEN) != 0) {
        return rewrittenBefore(header.rewrittenVersion());
      }
      rewriter = rewriterFor(hierarchy, header, className, bytes);
      out = rewriter == null ? null : rewriter.rewrite(bytes);
    } catch (UntransformableException e) {
      failure = e.getMessage();
      out = disarmOnly(className, bytes, rewriter);
    } catch (Throwable e) {
      failure = e.toString();
      out = disarmOnly(className, bytes, rewriter);
    }
    return new Outcome(
        header == null
            ? out
            : disarmBelowUnreadable(hierarchy, header, className, bytes, out, rewriter),
        failure);
  }

  private static boolean rewrittenAlready(byte[] bytes) {
    try {
      return (ClassFileHeader.read(bytes).found & ClassFileHeader.REWRITTEN) != 0;
    } catch (RuntimeException e) {
      return false; // rewrite() says what is wrong with it
    }
  }

  /**
   * A class the agent wrote before, ahead of time. Of the current contract, it is left alone:
   * rewriting it again would wrap state machines in state machines. Of another, it is left alone
   * too, but that is an error: its code may not work with this runtime.
   */
  private static Outcome rewrittenBefore(int version) {
    if (version == FrameContract.VERSION) {
      return new Outcome(null, null);
    }
    return new Outcome(
        null,
        "it was rewritten ahead of time for version " + version + " of the frame-stack contract,"
            + " and this agent writes version " + FrameContract.VERSION + ": instrument the"
            + " original class files again with this version's weft-agent.jar");
  }

  /**
   * Whether rewritten code could run in this loader: its classes call the runtime's frame stack,
   * so a loader that cannot see it (a build tool's plugins, an application server's shared
   * libraries) would get classes that fail with {@code NoClassDefFoundError} at their first call,
   * fiber or not. Its classes are left as they are, at the cost of one resource look-up per
   * loader; a fiber that runs through one of them still fails with the error naming it. Asked
   * before the loader's hierarchy is made: a loader that cannot see the runtime (a build tool has
   * dozens) never has its suspendables lists looked for, which means a search of every jar it has.
   */
  private boolean seesRuntime(ClassLoader loader) {
    Boolean known;
    synchronized (runtimeVisible) {
      known = runtimeVisible.get(loader);
    }
    if (known == null) {
      known = ClassHierarchy.hasClassFile(loader, runtimeClass);
      synchronized (runtimeVisible) {
        runtimeVisible.put(loader, known);
      }
    }
    return known;
  }

  /**
   * A class with a supertype whose class file cannot be read may override a suspendable method
   * the agent cannot see. Each of its methods that could (not rewritten, neither static, private
   * nor a constructor) gets a disarm call, so that a caller's arming cannot slip through it: a
   * fiber that suspends below it fails with an error naming it. Said once per class, in a warning.
   */
  private byte[] disarmBelowUnreadable(
      ClassHierarchy hierarchy,
      ClassFileHeader header,
      String className,
      byte[] bytes,
      byte[] out,
      ClassRewriter rewriter) {
    try {
      List<String> unreadable = hierarchy.unreadableSupertypes(header.superName, header.interfaces);
      if (unreadable.isEmpty()) {
        return out;
      }
      Set<String> exposed = DisarmingRewriter.overridable(new ClassReader(bytes));
      if (rewriter != null) {
        exposed.removeAll(rewriter.suspendableNames);
      }
      if (exposed.isEmpty()) {
        return out;
      }
      AgentLog.warn(
          "cannot read the class file of "
              + String.join(", ", unreadable).replace('/', '.')
              + ", a supertype of "
              + className.replace('/', '.')
              + ", as a resource of its class loader; its methods that could override a"
              + " suspendable method there are loaded with a disarm call, and a fiber that suspends"
              + " through them will fail with an error naming them");
      return DisarmingRewriter.rewrite(out != null ? out : bytes, exposed);
    } catch (Throwable e) {
      AgentLog.warn("cannot add disarm calls to " + className.replace('/', '.') + ": " + e);
      return out;
    }
  }

  /**
   * Rewrites one class as the given loader sees it; null when it needs no change. Public for
   * tests that transform bytes without a running agent.
   */
  public byte[] transform(ClassLoader loader, String className, byte[] bytes) {
    ClassRewriter rewriter =
        rewriterFor(hierarchy(loader), ClassFileHeader.read(bytes), className, bytes);
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

  /**
   * A rewriter for the class, or null when its header shows it needs none: its constant pool
   * names neither {@code @Suspendable} nor (when a list names annotations) any annotation, no
   * list names it, none of its lambdas or method references produces an interface with a
   * suspendable method, and no supertype declares one; or it has no method with code at all
   * (an interface of abstract methods, {@code @Suspendable} or not). Such a class is still
   * recorded in the hierarchy from {@code bytes}, as the rewriter would: its loader may not serve
   * its class file as a resource, and its implementations need to know what it declares.
   */
  private ClassRewriter rewriterFor(
      ClassHierarchy hierarchy, ClassFileHeader header, String className, byte[] bytes) {
    int found = header.found;
    if (!list.namesAnnotations()) {
      found &= ~ClassFileHeader.ANY_ANNOTATION; // annotations matter only through @ lines
    }
    if ((found & ClassFileHeader.LAMBDAS) != 0 && !anyCallSiteSuspendable(header, hierarchy)) {
      found &= ~ClassFileHeader.LAMBDAS;
    }
    if (found == 0
        && !list.namesOwner(className)
        && !inheritsSuspendable(header.superName, header.interfaces, hierarchy)) {
      return null;
    }
    if (!header.hasCode()) {
      hierarchy.register(bytes);
      return null;
    }
    return new ClassRewriter(hierarchy, list, onForeignTarget, preemptLoops, strictCheck);
  }

  /**
   * Whether an {@code invokedynamic} of the class produces a type with a suspendable method: only
   * then can a lambda body or a method reference target be suspendable. The JDK's functional
   * interfaces have none unless a list names them, which {@code hasSuspendableMethods} knows.
   */
  private static boolean anyCallSiteSuspendable(
      ClassFileHeader header, ClassHierarchy hierarchy) {
    for (String type : header.callSiteTypes) {
      if (hierarchy.hasSuspendableMethods(type)) {
        return true;
      }
    }
    return false;
  }

  private static String unchanged(String className, String why) {
    return "cannot rewrite " + className.replace('/', '.') + " (" + why + "); it is loaded unchanged"
        + " (its suspendable methods only clear the caller's arming), and a fiber that suspends"
        + " through them will fail with an error naming them";
  }

  private static boolean inheritsSuspendable(
      String superName, String[] interfaces, ClassHierarchy hierarchy) {
    if (hierarchy.hasSuspendableMethods(superName)) {
      return true;
    }
    for (String i : interfaces) {
      if (hierarchy.hasSuspendableMethods(i)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The hierarchy of a loader, made on its first class. Its lists are read before the hierarchy
   * is published, so no class of that loader is decided without them, and outside the lock, so a
   * slow resource read holds up no other loader. Two threads may race to make the first one; the
   * one published first wins and the lists are read at most once each.
   */
  private ClassHierarchy hierarchy(ClassLoader loader) {
    ClassHierarchy h;
    synchronized (hierarchies) {
      h = hierarchies.get(loader);
    }
    if (h != null) {
      return h;
    }
    ClassLoader system = ClassLoader.getSystemClassLoader();
    boolean systemRead = false;
    if (!classPathListsRead) {
      list.readFrom(system);
      classPathListsRead = true;
      systemRead = true;
    }
    if (!systemRead || loader != system) {
      list.readFrom(loader);
    }
    ClassHierarchy made = new ClassHierarchy(loader, list);
    synchronized (hierarchies) {
      h = hierarchies.putIfAbsent(loader, made);
    }
    return h == null ? made : h;
  }

  /** Whether a class is never rewritten: the JDK's, the agent's, the frame package's, proxies. */
  public static boolean isExcluded(String className) {
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
