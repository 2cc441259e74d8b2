package dev.weft.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The methods named in {@code META-INF/weft/suspendables} resources, for code the user cannot
 * annotate. One method a line: {@code com.example.Foo#bar} (every overload) or {@code
 * com.example.Foo#bar(Ljava/lang/String;)V}; {@code #} at the start of a line, or after white
 * space, starts a comment. Naming an interface or superclass method makes its overrides
 * suspendable too, because overrides inherit suspendability from any declaration above them.
 *
 * <p>A line {@code @com.example.Handler} names an annotation instead: every method annotated with
 * it, directly or through a meta-annotation, is suspendable ({@link MarkingAnnotations} follows
 * the meta-annotations). That is how a framework's methods, JUnit's {@code @Test} among them,
 * become suspendable without a {@code @Suspendable} of their own.
 */
final class SuspendablesList {
  static final String RESOURCE = "META-INF/weft/suspendables";

  /** "owner#name" for every overload, "owner#name(desc)" for one. Owners in internal form. */
  private final Set<String> entries = ConcurrentHashMap.newKeySet();
  /** Owners named at least once: the cheap scan's test. */
  private final Set<String> owners = ConcurrentHashMap.newKeySet();
  /** Descriptors of the annotations named by {@code @} lines, such as {@code Lcom/example/Handler;}. */
  private final Set<String> annotations = ConcurrentHashMap.newKeySet();
  /** Resources already read, so each class loader's lists are read once. */
  private final Set<String> readUrls = ConcurrentHashMap.newKeySet();

  /** Reads every list visible to a class loader that has not been read yet. */
  void readFrom(ClassLoader loader) {
    try {
      Enumeration<URL> urls =
          loader == null ? ClassLoader.getSystemResources(RESOURCE) : loader.getResources(RESOURCE);
      while (urls.hasMoreElements()) {
        URL url = urls.nextElement();
        if (readUrls.add(url.toString())) {
          try (InputStream in = url.openStream()) {
            parse(url.toString(), in);
          }
        }
      }
    } catch (IOException e) {
      AgentLog.warn("cannot read " + RESOURCE + ": " + e);
    }
  }

  void parse(String source, InputStream in) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    int lineNo = 0;
    for (String line; (line = reader.readLine()) != null; ) {
      lineNo++;
      String entry = stripComment(line).trim();
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.startsWith("@")) {
        String annotation = entry.substring(1).trim();
        if (annotation.isEmpty() || annotation.contains("#") || annotation.contains(" ")) {
          AgentLog.warn(
              source + ":" + lineNo + ": '" + entry + "' is not an annotation; write"
                  + " @com.example.Handler");
          continue;
        }
        annotations.add("L" + annotation.replace('.', '/') + ";");
        continue;
      }
      int hash = entry.indexOf('#');
      if (hash <= 0 || hash == entry.length() - 1) {
        AgentLog.warn(
            source + ":" + lineNo + ": '" + entry + "' is not a method; write com.example.Foo#bar"
                + " or com.example.Foo#bar(Ljava/lang/String;)V");
        continue;
      }
      add(entry.substring(0, hash).replace('.', '/') + entry.substring(hash));
    }
  }

  /** Adds one entry in internal form: {@code owner#name} or {@code owner#name(desc)}. */
  void add(String entry) {
    entries.add(entry);
    owners.add(entry.substring(0, entry.indexOf('#')));
  }

  private static String stripComment(String line) {
    String t = line.trim();
    if (t.startsWith("#")) {
      return "";
    }
    int i = t.indexOf(" #");
    return i < 0 ? t : t.substring(0, i);
  }

  boolean namesAnyPlatformType() {
    for (String owner : owners) {
      if (ClassHierarchy.isPlatform(owner)) {
        return true;
      }
    }
    return false;
  }

  /** Whether any {@code @} line was read: only then are annotations worth a look. */
  boolean namesAnnotations() {
    return !annotations.isEmpty();
  }

  /** Whether an {@code @} line names the annotation with this descriptor itself. */
  boolean namesAnnotation(String descriptor) {
    return annotations.contains(descriptor);
  }

  boolean namesOwner(String owner) {
    return owners.contains(owner);
  }

  boolean names(String owner, String name, String desc) {
    if (!owners.contains(owner)) {
      return false;
    }
    return entries.contains(owner + "#" + name) || entries.contains(owner + "#" + name + desc);
  }
}
