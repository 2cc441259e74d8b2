package dev.weft.agent.rewrite;

import dev.weft.agent.hierarchy.ClassHierarchy;
import org.objectweb.asm.ClassWriter;

/** A class writer that computes stack map frames from the {@link ClassHierarchy}, loading nothing. */
final class HierarchyClassWriter extends ClassWriter {
  private final ClassHierarchy hierarchy;

  HierarchyClassWriter(int flags, ClassHierarchy hierarchy) {
    super(flags);
    this.hierarchy = hierarchy;
  }

  @Override
  protected String getCommonSuperClass(String a, String b) {
    if (!hierarchy.isKnown(a) || !hierarchy.isKnown(b)) {
      throw new UntransformableException(
          "cannot find the class file of " + (hierarchy.isKnown(a) ? b : a)
              + " to compute stack map frames");
    }
    return hierarchy.commonSuperClass(a, b);
  }
}
