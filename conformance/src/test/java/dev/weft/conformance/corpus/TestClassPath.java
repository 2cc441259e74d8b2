package dev.weft.conformance.corpus;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The test class path as a list of entries. The test runner may start the JVM with a single jar
 * whose manifest's Class-Path names the real entries; this reads through it.
 */
public final class TestClassPath {
  private TestClassPath() {}

  public static List<String> entries() {
    List<String> out = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (e.endsWith(".jar") && e.contains("surefire")) {
        out.addAll(manifestClassPath(Path.of(e)));
      } else {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * The entries a child JVM of the corpus gets: the test class path less the agent's own classes
   * and ASM, so that the child runs the shaded agent jar exactly as a user's program does.
   */
  public static List<String> forChild() {
    List<String> out = new ArrayList<>();
    for (String e : entries()) {
      String n = e.replace(File.separatorChar, '/');
      if (!n.contains("/agent/target/") && !n.contains("/org/ow2/asm/") && !n.contains("surefire")) {
        out.add(e);
      }
    }
    return out;
  }

  private static List<String> manifestClassPath(Path jar) {
    List<String> out = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest m = file.getManifest();
      String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
      if (cp == null) {
        out.add(jar.toString());
        return out;
      }
      for (String url : cp.trim().split("\\s+")) {
        URI uri = jar.toUri().resolve(url);
        out.add(Path.of(uri).toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
