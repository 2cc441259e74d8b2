package dev.weft.agent.hierarchy;

import dev.weft.agent.core.AgentLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

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
public final class SuspendablesList {
  public static final String RESOURCE = "META-INF/weft/suspendables";

  /** "owner#name" for every overload, "owner#name(desc)" for one. Owners in internal form. */
  private final Set<String> entries = ConcurrentHashMap.newKeySet();
  /** Owners named at least once: the cheap scan's test. */
  private final Set<String> owners = ConcurrentHashMap.newKeySet();
  /** Descriptors of the annotations named by {@code @} lines, such as {@code Lcom/example/Handler;}. */
  private final Set<String> annotations = ConcurrentHashMap.newKeySet();
  /** Resources already read and published, so each class loader's lists are read once. */
  private final Set<String> readUrls = ConcurrentHashMap.newKeySet();
  /**
   * Counts changes, bumped after each one is published: an answer computed while it read {@code
   * v} is stale once it reads more, and a reader that sees {@code v} sees every entry up to it.
   */
  private final AtomicLong version = new AtomicLong();

  /**
   * Reads every list visible to a class loader that has not been read yet. Called without any
   * lock held: the reading is I/O. Each list is read, then published whole, then marked read, so
   * no thread goes on without a list that another thread is still reading; two threads may both
   * read one list, which is harmless.
   */
  public void readFrom(ClassLoader loader) {
    try {
      Enumeration<URL> urls =
          loader == null ? ClassLoader.getSystemResources(RESOURCE) : loader.getResources(RESOURCE);
      while (urls.hasMoreElements()) {
        URL url = urls.nextElement();
        String source = url.toString();
        if (readUrls.contains(source)) {
          continue;
        }
        List<String> read;
        try (InputStream in = url.openStream()) {
          read = read(source, in);
        }
        publish(read);
        readUrls.add(source);
      }
    } catch (IOException e) {
      AgentLog.warn("cannot read " + RESOURCE + ": " + e);
    }
  }

  /** The version of the lists: it grows whenever an entry is added. */
  long version() {
    return version.get();
  }

  void parse(String source, InputStream in) throws IOException {
    publish(read(source, in));
  }

  /**
   * The entries of one list, in internal form ({@code @Lcom/example/Handler;} for an annotation
   * line); bad lines are warned about and skipped.
   */
  private static List<String> read(String source, InputStream in) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    for (String line; (line = reader.readLine()) != null; ) {
      lines.add(line);
    }
    return entriesOf(source, lines, AgentLog::warn);
  }

  /**
   * The entries of lines in the list's format, in internal form: {@code com/example/Foo#bar},
   * {@code com/example/Foo#bar(Ljava/lang/String;)V} or {@code @Lcom/example/Handler;} for an
   * annotation line. Each bad line is told to {@code badLine}, as {@code source:line: why}, and
   * skipped. A build plugin reads the lines of its configuration with it.
   */
  public static List<String> entriesOf(String source, List<String> lines, Consumer<String> badLine) {
    List<String> read = new ArrayList<>();
    int lineNo = 0;
    for (String line : lines) {
      lineNo++;
      String entry = stripComment(line).trim();
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.startsWith("@")) {
        String annotation = entry.substring(1).trim();
        if (annotation.isEmpty() || annotation.contains("#") || annotation.contains(" ")) {
          badLine.accept(
              source + ":" + lineNo + ": '" + entry + "' is not an annotation; write"
                  + " @com.example.Handler");
          continue;
        }
        read.add("@L" + annotation.replace('.', '/') + ";");
        continue;
      }
      int hash = entry.indexOf('#');
      if (hash <= 0 || hash == entry.length() - 1) {
        badLine.accept(
            source + ":" + lineNo + ": '" + entry + "' is not a method; write com.example.Foo#bar"
                + " or com.example.Foo#bar(Ljava/lang/String;)V");
        continue;
      }
      read.add(entry.substring(0, hash).replace('.', '/') + entry.substring(hash));
    }
    return read;
  }

  private void publish(List<String> read) {
    if (read.isEmpty()) {
      return;
    }
    for (String entry : read) {
      if (entry.startsWith("@")) {
        annotations.add(entry.substring(1));
      } else {
        entries.add(entry);
        owners.add(entry.substring(0, entry.indexOf('#')));
      }
    }
    version.incrementAndGet();
  }

  /**
   * Adds one entry in internal form: {@code owner#name}, {@code owner#name(desc)}, or for an
   * annotation {@code @Lcom/example/Handler;}.
   */
  public void add(String entry) {
    publish(List.of(entry));
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
  public boolean namesAnnotations() {
    return !annotations.isEmpty();
  }

  /** Whether an {@code @} line names the annotation with this descriptor itself. */
  boolean namesAnnotation(String descriptor) {
    return annotations.contains(descriptor);
  }

  public boolean namesOwner(String owner) {
    return owners.contains(owner);
  }

  public boolean names(String owner, String name, String desc) {
    if (!owners.contains(owner)) {
      return false;
    }
    return entries.contains(owner + "#" + name) || entries.contains(owner + "#" + name + desc);
  }
}
