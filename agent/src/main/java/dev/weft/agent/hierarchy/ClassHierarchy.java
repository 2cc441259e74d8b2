package dev.weft.agent.hierarchy;

import dev.weft.agent.core.AgentLog;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The class hierarchy as one class loader sees it, built from class-file bytes read as resources.
 * The agent never loads an application class to learn its supertypes: loading from inside a
 * transformer can recurse into the transformer, initialise classes out of order, or fail.
 *
 * <p>Answers the three questions the rewriter asks: is a method suspendable (declared so, or
 * overriding a declaration that is), what is the common superclass of two types (for stack map
 * frames), and is one type assignable to another (for the verifier that types saved values).
 */
public final class ClassHierarchy {
  /**
   * Weak: the transformer keys hierarchies by loader weakly, and a strong reference from the value
   * would keep every undeployed loader (and all its classes) alive. A collected loader defines no
   * more classes, so nothing asks this hierarchy anything after that.
   */
  private final WeakReference<ClassLoader> loader;
  private final SuspendablesList list;
  private final Map<String, ClassInfo> classes = new ConcurrentHashMap<>();
  private final AtomicReference<Answers> answers;

  private final MarkingAnnotations marking;

  public ClassHierarchy(ClassLoader loader, SuspendablesList list) {
    this.loader = new WeakReference<>(loader);
    this.list = list;
    // No lambdas or method references in the agent's always-run paths: the JVM's first
    // invokedynamic costs tens of milliseconds of start-up (see docs/design.md, "Start-up").
    this.marking =
        new MarkingAnnotations(
            list,
            new java.util.function.Function<String, InputStream>() {
              @Override
              public InputStream apply(String resource) {
                return open(resource);
              }
            });
    this.answers = new AtomicReference<>(new Answers(list.version()));
  }

  /**
   * Cached answers, all computed against one state of the lists and of the marks the rewriter
   * learned. A change replaces the whole object; a question still being answered keeps the object
   * it started with, so its answer, computed against the old state, lands where nobody reads it
   * any more instead of in the current answers.
   */
  private static final class Answers {
    final long listVersion;
    final Map<String, Boolean> suspendable = new ConcurrentHashMap<>();
    final Map<String, Boolean> hasSuspendable = new ConcurrentHashMap<>();

    Answers(long listVersion) {
      this.listVersion = listVersion;
    }
  }

  /** The current answers, replaced first when the lists changed since they were computed. */
  private Answers answers() {
    long version = list.version();
    Answers a = answers.get();
    while (a.listVersion < version) {
      Answers fresh = new Answers(version);
      if (answers.compareAndSet(a, fresh)) {
        return fresh;
      }
      a = answers.get();
    }
    return a;
  }

  /** Records a class from the bytes being transformed, so it is never read again. */
  public ClassInfo register(byte[] bytes) {
    ClassInfo info = ClassInfo.read(bytes, list, marking);
    ClassInfo before = classes.put(info.name, info);
    if (before != null && !before.readable) {
      invalidateAnswers(); // answers given while it could not be read took it for empty
    }
    return info;
  }

  /** Forgets cached answers after the rewriter learned new suspendable methods. */
  void invalidateAnswers() {
    answers.set(new Answers(list.version()));
  }

  public ClassInfo get(String name) {
    ClassInfo info = classes.get(name);
    if (info == null) {
      info = load(name);
      ClassInfo raced = classes.putIfAbsent(name, info);
      if (raced != null) {
        info = raced;
      }
    }
    return info;
  }

  private ClassInfo load(String name) {
    String resource = name + ".class";
    try (InputStream in = open(resource)) {
      if (in != null) {
        return ClassInfo.read(in.readAllBytes(), list, marking);
      }
    } catch (IOException | RuntimeException e) {
      AgentLog.info("cannot read " + resource + ": " + e);
    }
    return ClassInfo.unreadable(name);
  }

  /**
   * Whether the class file of {@code type} can be read as {@code loader}'s hierarchy would read
   * it; it is opened, not parsed.
   */
  public static boolean hasClassFile(ClassLoader loader, String type) {
    try (InputStream in = open(loader, type + ".class")) {
      return in != null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private InputStream open(String resource) {
    return open(loader.get(), resource);
  }

  /** {@code l}'s resource, or the system or platform loader's; null for a collected loader. */
  private static InputStream open(ClassLoader l, String resource) {
    if (resource.startsWith("java/")) {
      InputStream in = inJavaBase(resource);
      if (in != null) {
        return in;
      }
    }
    InputStream in = l == null ? null : l.getResourceAsStream(resource);
    if (in == null) {
      in = ClassLoader.getSystemResourceAsStream(resource);
    }
    if (in == null) {
      in = ClassLoader.getPlatformClassLoader().getResourceAsStream(resource);
    }
    return in;
  }

  /**
   * A class file of {@code java.base}, read through its module: the boot loader then reads the
   * runtime image directly, where {@code getResourceAsStream} would make a {@code jrt:} URL and
   * open a connection to it (a protocol handler and connection classes loaded at start-up, and
   * more work per read). Only the boot layer can define {@code java.*} classes, so no loader
   * could have loaded another version; a class of another module is read as before.
   */
  private static InputStream inJavaBase(String resource) {
    try {
      return JAVA_BASE.getResourceAsStream(resource);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static final Module JAVA_BASE = Object.class.getModule();

  // ---------------------------------------------------------------------------------------------

  /**
   * Whether a method is suspendable: marked (annotated, listed, or found so by the rewriter) in
   * {@code owner} or in any of its supertypes that declares the same name and descriptor.
   */
  public boolean isSuspendable(String owner, String name, String desc) {
    if (owner.startsWith("[")) {
      return false;
    }
    Answers a = answers();
    Boolean cached = a.suspendable.get(owner + '.' + name + desc);
    if (cached != null) {
      return cached;
    }
    return new Question(a).isSuspendable(owner, name, desc);
  }

  /**
   * One thread's question, with the answers still being computed on its path. A question can
   * recurse into itself (a bridge of a bridge, an accessor calling an accessor), so an answer in
   * progress reads as "no" there to cut the cycle. That provisional "no" is never published, and
   * neither is a "no" that depended on it: another thread would take it for final. A "yes" is
   * final however it was found, since a provisional "no" can only have hidden another way to "yes".
   */
  private final class Question {
    private final Answers answers;
    /** The questions on this path, by key, with their depth. */
    private final Map<String, Integer> inProgress = new HashMap<>();
    /**
     * The answers of this question that cannot be published because they depended on a
     * provisional one: kept for the rest of this question, or a cycle through many bridges would
     * be explored again from every one of them.
     */
    private final Map<String, Boolean> unpublished = new HashMap<>();
    /** The shallowest depth whose provisional answer was read below the current question. */
    private int lowestRead = Integer.MAX_VALUE;

    Question(Answers answers) {
      this.answers = answers;
    }

    boolean isSuspendable(String owner, String name, String desc) {
      if (owner.startsWith("[")) {
        return false;
      }
      String key = owner + '.' + name + desc;
      Boolean cached = answers.suspendable.get(key);
      if (cached == null) {
        cached = unpublished.get(key);
      }
      if (cached != null) {
        return cached;
      }
      Integer depthInProgress = inProgress.get(key);
      if (depthInProgress != null) {
        lowestRead = Math.min(lowestRead, depthInProgress);
        return false;
      }
      int depth = inProgress.size();
      inProgress.put(key, depth);
      int outerLowest = lowestRead;
      lowestRead = Integer.MAX_VALUE;
      boolean result =
          search(owner, name + desc, name, desc)
              || overridesThroughBridge(owner, name, desc)
              || isAccessorToSuspendable(owner, name + desc);
      inProgress.remove(key);
      boolean dependsOnOuter = lowestRead < depth;
      if (result || !dependsOnOuter) {
        answers.suspendable.putIfAbsent(key, result);
      } else {
        unpublished.put(key, result);
      }
      lowestRead = dependsOnOuter ? Math.min(outerLowest, lowestRead) : outerLowest;
      return result;
    }

    /**
     * Whether a method overrides a suspendable one with a more specific signature (a covariant
     * return, or a generic parameter made concrete): javac then adds a bridge with the erased
     * signature to the class, and that bridge is what overrides the suspendable declaration.
     */
    private boolean overridesThroughBridge(String owner, String name, String desc) {
      int args = org.objectweb.asm.Type.getArgumentTypes(desc).length;
      for (String type : superChain(owner)) {
        ClassInfo info = get(type);
        if (!info.declares(name + desc)) {
          continue;
        }
        for (String bridge : info.bridgesNamed(name)) {
          if (!bridge.equals(desc)
              && org.objectweb.asm.Type.getArgumentTypes(bridge).length == args
              && isSuspendable(type, name, bridge)) {
            return true;
          }
        }
      }
      return false;
    }

    /**
     * Whether a method is a synthetic accessor that calls a suspendable method: the {@code
     * access$NNN} through which, before nestmates, one class calls another's private method. Read
     * from the accessor's code, so the answer does not depend on which class was loaded first.
     */
    private boolean isAccessorToSuspendable(String owner, String nameAndDesc) {
      for (String type : superChain(owner)) {
        ClassInfo info = get(type);
        if (!info.declares(nameAndDesc)) {
          continue;
        }
        for (String[] call : info.accessorCalls(nameAndDesc)) {
          if (isSuspendable(call[0], call[1], call[2])) {
            return true;
          }
        }
        return false;
      }
      return false;
    }
  }

  private boolean search(String start, String nameAndDesc, String name, String desc) {
    Set<String> seen = new HashSet<>();
    ArrayDeque<String> todo = new ArrayDeque<>();
    todo.add(start);
    while (!todo.isEmpty()) {
      String type = todo.poll();
      if (type == null || !seen.add(type)) {
        continue;
      }
      if (isPlatform(type) && !list.namesOwner(type)) {
        // Platform types declare nothing suspendable unless a list names them; their
        // supertypes are platform types too, except for the interfaces of Object's subclasses
        // that a list could name, which namesOwner covers.
        if (!type.equals(start)) {
          continue;
        }
      }
      ClassInfo info = get(type);
      if (info.marksSuspendable(nameAndDesc) || list.names(type, name, desc)) {
        return true;
      }
      if (info.superName != null) {
        todo.add(info.superName);
      }
      for (String i : info.interfaces) {
        todo.add(i);
      }
    }
    return false;
  }

  /** Whether a type or any supertype declares a suspendable method: the cheap scan's question. */
  public boolean hasSuspendableMethods(String type) {
    return hasSuspendableMethods(answers(), type);
  }

  private boolean hasSuspendableMethods(Answers a, String type) {
    if (type == null) {
      return false;
    }
    Boolean cached = a.hasSuspendable.get(type);
    if (cached != null) {
      return cached;
    }
    boolean result;
    if (isPlatform(type) && !list.namesOwner(type)) {
      result = false;
      // A platform type can still extend nothing suspendable; lists naming platform types are
      // rare, so check its supertypes only when some list names a platform type at all.
      if (list.namesAnyPlatformType()) {
        ClassInfo info = get(type);
        result = hasSuspendableMethods(a, info.superName);
        for (String i : info.interfaces) {
          result |= hasSuspendableMethods(a, i);
        }
      }
    } else {
      ClassInfo info = get(type);
      result = info.hasMarkedMethods() || list.namesOwner(type);
      if (!result) {
        result = hasSuspendableMethods(a, info.superName);
        for (int k = 0; !result && k < info.interfaces.length; k++) {
          result = hasSuspendableMethods(a, info.interfaces[k]);
        }
      }
    }
    a.hasSuspendable.put(type, result);
    return result;
  }

  public static boolean isPlatform(String type) {
    return type.startsWith("java/")
        || type.startsWith("javax/")
        || type.startsWith("jdk/")
        || type.startsWith("sun/")
        || type.startsWith("com/sun/");
  }

  // ---------------------------------------------------------------------------------------------
  // Type relations, for frames and for the verifier.

  public boolean isInterface(String type) {
    return get(type).isInterface;
  }

  /** The superclass chain of a class, itself first, ending with java/lang/Object. */
  List<String> superChain(String type) {
    List<String> chain = new ArrayList<>();
    for (String t = type; t != null; t = get(t).superName) {
      chain.add(t);
      if (t.equals("java/lang/Object")) {
        break;
      }
    }
    if (!chain.get(chain.size() - 1).equals("java/lang/Object")) {
      chain.add("java/lang/Object");
    }
    return chain;
  }

  /** Whether a value of type {@code from} may be used where {@code to} is expected. */
  public boolean isAssignable(String to, String from) {
    if (to.equals(from) || to.equals("java/lang/Object")) {
      return true;
    }
    Set<String> seen = new HashSet<>();
    ArrayDeque<String> todo = new ArrayDeque<>();
    todo.add(from);
    while (!todo.isEmpty()) {
      String t = todo.poll();
      if (t == null || !seen.add(t)) {
        continue;
      }
      if (t.equals(to)) {
        return true;
      }
      ClassInfo info = get(t);
      if (info.superName != null) {
        todo.add(info.superName);
      }
      for (String i : info.interfaces) {
        todo.add(i);
      }
    }
    return false;
  }

  /** The most specific common superclass, as a stack map frame needs (interfaces merge to Object). */
  public String commonSuperClass(String a, String b) {
    if (a.equals(b)) {
      return a;
    }
    if (isInterface(a) || isInterface(b)) {
      return "java/lang/Object";
    }
    List<String> chainA = superChain(a);
    Set<String> setB = new HashSet<>(superChain(b));
    for (String t : chainA) {
      if (setB.contains(t)) {
        return t;
      }
    }
    return "java/lang/Object";
  }

  /**
   * The supertypes, direct or not, whose class files cannot be read (platform types aside): the
   * hierarchy takes each for an empty class extending Object, so what they declare is unknown.
   */
  public List<String> unreadableSupertypes(String superName, String[] interfaces) {
    List<String> unreadable = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    ArrayDeque<String> todo = new ArrayDeque<>();
    if (superName != null) {
      todo.add(superName);
    }
    todo.addAll(List.of(interfaces));
    while (!todo.isEmpty()) {
      String type = todo.poll();
      if (!seen.add(type) || isPlatform(type)) {
        continue;
      }
      ClassInfo info = get(type);
      if (!info.readable) {
        unreadable.add(type);
        continue;
      }
      if (info.superName != null) {
        todo.add(info.superName);
      }
      todo.addAll(List.of(info.interfaces));
    }
    return unreadable;
  }

  public boolean isKnown(String type) {
    return get(type).readable;
  }
}
