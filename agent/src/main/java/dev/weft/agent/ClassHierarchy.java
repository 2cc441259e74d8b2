package dev.weft.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The class hierarchy as one class loader sees it, built from class-file bytes read as resources.
 * The agent never loads an application class to learn its supertypes: loading from inside a
 * transformer can recurse into the transformer, initialise classes out of order, or fail.
 *
 * <p>Answers the three questions the rewriter asks: is a method suspendable (declared so, or
 * overriding a declaration that is), what is the common superclass of two types (for stack map
 * frames), and is one type assignable to another (for the verifier that types saved values).
 */
final class ClassHierarchy {
  /**
   * Weak: the transformer keeps one hierarchy per loader in a weak map, and a value that held its
   * key strongly would keep every loader (an undeployed web application's) alive for good.
   */
  private final WeakReference<ClassLoader> loader;

  private final SuspendablesList list;
  private final Map<String, ClassInfo> classes = new ConcurrentHashMap<>();
  private final Map<String, Boolean> suspendableCache = new ConcurrentHashMap<>();
  private final Map<String, Boolean> hasSuspendableCache = new ConcurrentHashMap<>();

  private final MarkingAnnotations marking;

  ClassHierarchy(ClassLoader loader, SuspendablesList list) {
    this.loader = new WeakReference<>(loader);
    this.list = list;
    this.marking = new MarkingAnnotations(list, this::open);
  }

  /** Records a class from the bytes being transformed, so it is never read again. */
  ClassInfo register(byte[] bytes) {
    ClassInfo info = ClassInfo.read(bytes, list, marking);
    classes.put(info.name, info);
    return info;
  }

  /** Forgets cached answers after the rewriter learned new suspendable methods. */
  void invalidateAnswers() {
    suspendableCache.clear();
    hasSuspendableCache.clear();
  }

  ClassInfo get(String name) {
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

  private final Set<String> unknown = ConcurrentHashMap.newKeySet();

  private ClassInfo load(String name) {
    String resource = name + ".class";
    try (InputStream in = open(resource)) {
      if (in != null) {
        return ClassInfo.read(in.readAllBytes(), list, marking);
      }
    } catch (IOException | RuntimeException e) {
      AgentLog.info("cannot read " + resource + ": " + e);
    }
    unknown.add(name);
    return ClassInfo.unknown(name);
  }

  private InputStream open(String resource) {
    ClassLoader l = loader.get();
    InputStream in = l == null ? null : l.getResourceAsStream(resource);
    if (in == null) {
      in = ClassLoader.getSystemResourceAsStream(resource);
    }
    if (in == null) {
      in = ClassLoader.getPlatformClassLoader().getResourceAsStream(resource);
    }
    return in;
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Whether a method is suspendable: marked (annotated, listed, or found so by the rewriter) in
   * {@code owner} or in any of its supertypes that declares the same name and descriptor.
   */
  boolean isSuspendable(String owner, String name, String desc) {
    if (owner.startsWith("[")) {
      return false;
    }
    String key = owner + '.' + name + desc;
    Boolean cached = suspendableCache.get(key);
    if (cached != null) {
      return cached;
    }
    suspendableCache.put(key, false); // provisional: cuts cycles through bridges
    boolean result =
        search(owner, name + desc, name, desc)
            || overridesThroughBridge(owner, name, desc)
            || isAccessorToSuspendable(owner, name + desc);
    suspendableCache.put(key, result);
    return result;
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

  /** Whether a type or any supertype declares a suspendable method: the cheap scan's question. */
  boolean hasSuspendableMethods(String type) {
    if (type == null) {
      return false;
    }
    Boolean cached = hasSuspendableCache.get(type);
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
        result = hasSuspendableMethods(info.superName);
        for (String i : info.interfaces) {
          result |= hasSuspendableMethods(i);
        }
      }
    } else {
      ClassInfo info = get(type);
      result = info.hasMarkedMethods() || list.namesOwner(type);
      if (!result) {
        result = hasSuspendableMethods(info.superName);
        for (int k = 0; !result && k < info.interfaces.length; k++) {
          result = hasSuspendableMethods(info.interfaces[k]);
        }
      }
    }
    hasSuspendableCache.put(type, result);
    return result;
  }

  static boolean isPlatform(String type) {
    return type.startsWith("java/")
        || type.startsWith("javax/")
        || type.startsWith("jdk/")
        || type.startsWith("sun/")
        || type.startsWith("com/sun/");
  }

  // ---------------------------------------------------------------------------------------------
  // Type relations, for frames and for the verifier.

  boolean isInterface(String type) {
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
  boolean isAssignable(String to, String from) {
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
  String commonSuperClass(String a, String b) {
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

  boolean isKnown(String type) {
    get(type);
    return !unknown.contains(type);
  }
}
