package dev.weft.agent;

import org.objectweb.asm.ClassWriter;

/** A class writer that computes stack map frames from the {@link ClassHierarchy}, loading nothing. */
final class HierarchyClassWriter extends ClassWriter {
  private final ClassHierarchy hierarchy;
  static final int MAX_MEMORY = 256 << 20;
  static final long MAX_OPERATIONS = 2_000_000_000L;

  HierarchyClassWriter(int flags, ClassHierarchy hierarchy) {
    super(flags);
    this.hierarchy = hierarchy;
    // ASM's defaults (10 MB, 10^8 steps per method) guard a writer against hostile input; the
    // frames of a rewritten big method (13 KB of javac code with 1,300 call sites, each its own
    // range of the arm-clearing catch-all) need more, and the classes here are the application's.
    setComputeLimits(MAX_MEMORY, MAX_OPERATIONS);
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
