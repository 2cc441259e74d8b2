package dev.weft.frame;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a method declaration is suspendable, decided the way the agent decides it: annotated
 * {@code @dev.weft.Suspendable} or with an annotation an {@code @} line of a {@code
 * META-INF/weft/suspendables} resource names (directly or through meta-annotations), named in such
 * a resource, or overriding a declaration that is. Used only to explain a refused suspension (it reads the
 * lists again and reflects on classes), never on a fast path.
 *
 * <p>The annotation is matched by name so that this package depends on nothing else in the
 * runtime.
 */
final class SuspendableDeclarations {
  private static final String ANNOTATION = "dev.weft.Suspendable";
  private static final String LIST = "META-INF/weft/suspendables";

  /** {@code pkg.Cls#name} and {@code pkg.Cls#name(desc)} lines of every list the loaders see. */
  private final Set<String> listed = new HashSet<>();
  /** Annotations named by {@code @pkg.Ann} lines, and {@code dev.weft.Suspendable}. */
  private final Set<String> marking = new HashSet<>(Set.of(ANNOTATION));

  /**
   * Reads the lists visible to any of {@code loaders} (a null loader reads the system class
   * loader's): the loaders of the frames on the path, since an application's lists may be out of
   * the runtime's sight.
   */
  SuspendableDeclarations(Collection<ClassLoader> loaders) {
    Set<String> read = new HashSet<>();
    for (ClassLoader loader : loaders) {
      try {
        Enumeration<URL> urls =
            loader == null ? ClassLoader.getSystemResources(LIST) : loader.getResources(LIST);
        while (urls.hasMoreElements()) {
          URL url = urls.nextElement();
          if (read.add(url.toString())) {
            read(url);
          }
        }
      } catch (IOException | RuntimeException e) {
        // Explaining the error must not fail: without the lists, listed methods look plain.
      }
    }
  }

  private void read(URL url) throws IOException {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        String entry = line.trim();
        int comment = entry.startsWith("#") ? 0 : entry.indexOf(" #");
        if (comment >= 0) {
          entry = entry.substring(0, comment).trim();
        }
        if (entry.startsWith("@")) {
          marking.add(entry.substring(1).trim());
        } else if (!entry.isEmpty()) {
          listed.add(entry);
        }
      }
    }
  }

  /**
   * Whether {@code name descriptor}, as declared in {@code owner} or any supertype of it, is
   * suspendable: what decides whether a call through {@code owner} is a suspension point.
   */
  boolean isSuspendable(Class<?> owner, String name, String descriptor) {
    for (Class<?> c : typeAndSupertypes(owner)) {
      Method m = PathFrame.declared(c, name, descriptor);
      if (m != null && isSuspendableItself(m)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The declarations above {@code type} (in its superclasses and interfaces) that a virtual call
   * to {@code name descriptor} may have gone through, and that are not suspendable.
   */
  List<Method> notSuspendableAbove(Class<?> type, String name, String descriptor) {
    List<Method> found = new ArrayList<>();
    for (Class<?> c : typeAndSupertypes(type)) {
      if (c == type) {
        continue;
      }
      Method m = PathFrame.declared(c, name, descriptor);
      if (m != null
          && !Modifier.isStatic(m.getModifiers())
          && !Modifier.isPrivate(m.getModifiers())
          && !isSuspendable(c, name, descriptor)) {
        found.add(m);
      }
    }
    return found;
  }

  /** The functional interface method a lambda proxy's method implements, or null. */
  static Method implementedByLambda(Class<?> proxy, String name, String descriptor) {
    for (Class<?> i : typeAndSupertypes(proxy)) {
      if (i.isInterface()) {
        Method m = PathFrame.declared(i, name, descriptor);
        if (m != null && Modifier.isAbstract(m.getModifiers())) {
          return m;
        }
      }
    }
    return null;
  }

  private boolean isSuspendableItself(Method m) {
    String owner = m.getDeclaringClass().getName();
    if (listed.contains(owner + "#" + m.getName())
        || listed.contains(owner + "#" + m.getName() + PathFrame.descriptorOf(m))) {
      return true;
    }
    try {
      for (Annotation a : m.getDeclaredAnnotations()) {
        if (marks(a.annotationType(), new HashSet<>())) {
          return true;
        }
      }
    } catch (Throwable ignored) {
      // An annotation whose class is missing cannot be ours.
    }
    return false;
  }

  /** Whether an annotation makes a method suspendable, itself or through its own annotations. */
  private boolean marks(Class<? extends Annotation> type, Set<Class<?>> seen) {
    if (marking.contains(type.getName())) {
      return true;
    }
    if (!seen.add(type) || type.getName().startsWith("java.lang.annotation.")) {
      return false;
    }
    for (Annotation meta : type.getDeclaredAnnotations()) {
      if (marks(meta.annotationType(), seen)) {
        return true;
      }
    }
    return false;
  }

  /** The type, then its superclasses and interfaces, breadth first, each once. */
  private static List<Class<?>> typeAndSupertypes(Class<?> type) {
    List<Class<?>> all = new ArrayList<>();
    Set<Class<?>> seen = new HashSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>();
    todo.add(type);
    while (!todo.isEmpty()) {
      Class<?> c = todo.poll();
      if (!seen.add(c)) {
        continue;
      }
      all.add(c);
      if (c.getSuperclass() != null) {
        todo.add(c.getSuperclass());
      }
      todo.addAll(List.of(c.getInterfaces()));
    }
    return all;
  }
}
