package dev.weft.agent.hierarchy;

import dev.weft.agent.core.AgentLog;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Which annotations make a method suspendable, as one class loader sees them: those an {@code @}
 * line of the suspendables lists names, and those meta-annotated with one, at any depth (JUnit's
 * {@code @ParameterizedTest} is a {@code @TestTemplate}; a user's {@code @SlowTest} may be a
 * {@code @Test}).
 *
 * <p>An annotation's own annotations are read from its class file's header, never by loading it.
 * Answers are cached per annotation; a cycle of meta-annotations ({@code @Documented} is annotated
 * with itself) ends at the first repeat, and platform annotations ({@code java.lang.annotation})
 * are never followed, since a list cannot reach them through their own annotations.
 */
final class MarkingAnnotations {
  private final SuspendablesList list;
  private final Function<String, InputStream> resources;
  private final Map<String, Boolean> answers = new ConcurrentHashMap<>();

  /**
   * @param resources opens a class file by resource name ({@code a/b/C.class}), or returns null
   */
  MarkingAnnotations(SuspendablesList list, Function<String, InputStream> resources) {
    this.list = list;
    this.resources = resources;
  }

  /** Whether a method annotated with {@code descriptor} is suspendable. */
  boolean marks(String descriptor) {
    if (list.namesAnnotation(descriptor)) {
      return true;
    }
    if (!list.namesAnnotations()) {
      return false;
    }
    Boolean known = answers.get(descriptor);
    if (known != null) {
      return known;
    }
    boolean result = search(descriptor, new HashSet<>());
    answers.put(descriptor, result);
    return result;
  }

  private boolean search(String descriptor, Set<String> seen) {
    if (list.namesAnnotation(descriptor)) {
      return true;
    }
    if (!seen.add(descriptor) || !descriptor.startsWith("L") || !descriptor.endsWith(";")) {
      return false;
    }
    String name = descriptor.substring(1, descriptor.length() - 1);
    if (ClassHierarchy.isPlatform(name)) {
      return false;
    }
    for (String meta : annotationsOf(name)) {
      if (search(meta, seen)) {
        return true;
      }
    }
    return false;
  }

  private List<String> annotationsOf(String name) {
    List<String> found = new ArrayList<>();
    try (InputStream in = resources.apply(name + ".class")) {
      if (in == null) {
        return found;
      }
      new ClassReader(in.readAllBytes())
          .accept(
              new ClassVisitor(Opcodes.ASM9) {
                @Override
                public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                  found.add(descriptor);
                  return null;
                }
              },
              ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    } catch (IOException | RuntimeException e) {
      AgentLog.info("cannot read the annotations of " + name + ": " + e);
    }
    return found;
  }
}
