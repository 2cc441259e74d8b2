package dev.weft.agent.rewrite;

import dev.weft.agent.hierarchy.ClassHierarchy;
import dev.weft.agent.hierarchy.SuspendablesList;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Jars on the test class path (commons-lang3 3.17.0 and its tests jar, kotlin-stdlib) with every
 * method listed suspendable, as a user lists a library they cannot annotate.
 */
final class Lang3 {
  final SuspendablesList list = new SuspendablesList();
  final ClassLoader loader = Lang3.class.getClassLoader();

  private Lang3() {}

  static Lang3 everyMethodSuspendable() throws IOException {
    return everyMethodOfTheJarsOf(
        "org/apache/commons/lang3/ArrayUtils.class", BigMethodRewriteTest.ARRAY_UTILS_TEST + ".class");
  }

  /** Every method of every jar that holds one of {@code resources} listed suspendable. */
  static Lang3 everyMethodOfTheJarsOf(String... resources) throws IOException {
    Lang3 l = new Lang3();
    for (String r : resources) {
      l.listEveryMethodOf(r);
    }
    return l;
  }

  ClassRewriter rewriter() {
    return new ClassRewriter(new ClassHierarchy(loader, list), list, name -> {}, true, true);
  }

  byte[] bytes(String internalName) throws IOException {
    return BigMethodRewriteTest.read(loader, internalName);
  }

  /** Lists every method of every class in the jar that holds {@code resource}. */
  private void listEveryMethodOf(String resource) throws IOException {
    URL url = loader.getResource(resource);
    JarURLConnection connection = (JarURLConnection) url.openConnection();
    connection.setUseCaches(false);
    try (JarFile jar = connection.getJarFile()) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        if (!entry.getName().endsWith(".class") || entry.getName().contains("module-info")) {
          continue;
        }
        try (InputStream in = jar.getInputStream(entry)) {
          new ClassReader(in)
              .accept(
                  new ClassVisitor(Opcodes.ASM9) {
                    String owner;

                    @Override
                    public void visit(
                        int v, int a, String name, String sig, String sup, String[] itfs) {
                      owner = name;
                    }

                    @Override
                    public MethodVisitor visitMethod(
                        int a, String name, String desc, String sig, String[] ex) {
                      if (!name.startsWith("<")) {
                        list.add(owner + "#" + name);
                      }
                      return null;
                    }
                  },
                  ClassReader.SKIP_CODE);
        }
      }
    }
  }
}
