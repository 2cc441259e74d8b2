package dev.weft.conformance.corpus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The program a corpus check starts in a child JVM under the agent: loads every class of one jar
 * and links it, which makes the JVM verify it. Prints one line per fact on standard output, for
 * {@link CorpusRun} to read; the agent's warnings go to standard error.
 *
 * <p>Loading alone ({@code Class.forName(name, false, loader)}) does not verify a class: HotSpot
 * verifies at link time. {@link Class#getDeclaredMethods()} links the class first (HotSpot's
 * reflection links before it answers), and it runs no static initialiser, so a class whose
 * initialiser needs a running application is still verified. {@code CorpusRunTest} proves this on a
 * class that loads but does not verify.
 */
public final class CorpusLoad {
  private CorpusLoad() {}

  public static void main(String[] args) throws IOException {
    ClassLoader loader = CorpusLoad.class.getClassLoader();
    List<String> names = classNames(args[0]);
    List<Class<?>> loaded = new ArrayList<>(names.size());
    long t0 = System.nanoTime();
    for (String name : names) {
      try {
        loaded.add(Class.forName(name, false, loader));
      } catch (VerifyError | ClassFormatError e) {
        report("VERIFY", name, e);
      } catch (LinkageError | ClassNotFoundException e) {
        report(missingDependency(loader, e) ? "MISSING_DEP" : "UNLOADABLE", name, e);
      }
    }
    long t1 = System.nanoTime();
    for (Class<?> c : loaded) {
      try {
        c.getDeclaredMethods();
      } catch (VerifyError | ClassFormatError e) {
        report("VERIFY", c.getName(), e);
      } catch (LinkageError e) {
        report(missingDependency(loader, e) ? "MISSING_DEP_LINK" : "UNLINKABLE", c.getName(), e);
      }
    }
    long t2 = System.nanoTime();
    System.out.println("CLASSES " + names.size());
    System.out.println("LOADED " + loaded.size());
    System.out.println("LOAD_MS " + (t1 - t0) / 1_000_000);
    System.out.println("LINK_MS " + (t2 - t1) / 1_000_000);
    System.out.flush();
  }

  /**
   * Whether the class failed only because a class it needs is not on the class path at all (an
   * optional dependency of the jar), which no rewrite can cause.
   */
  private static boolean missingDependency(ClassLoader loader, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof NoClassDefFoundError || t instanceof ClassNotFoundException) {
        String missing = String.valueOf(t.getMessage()).replace('.', '/');
        if (loader.getResource(missing + ".class") == null) {
          return true;
        }
      }
    }
    return false;
  }

  private static void report(String kind, String name, Throwable e) {
    String why = String.valueOf(e).replace('\n', ' ');
    System.out.println(kind + " " + name + " " + why);
  }

  /** Every class of the jar, in binary name form; module and multi-release versions left out. */
  static List<String> classNames(String jar) throws IOException {
    List<String> names = new ArrayList<>();
    try (JarFile file = new JarFile(jar)) {
      for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
        String n = e.nextElement().getName();
        if (n.endsWith(".class")
            && !n.startsWith("META-INF/")
            && !n.endsWith("module-info.class")
            && !n.endsWith("package-info.class")) {
          names.add(n.substring(0, n.length() - ".class".length()).replace('/', '.'));
        }
      }
    }
    return names;
  }
}
