package dev.weft.agent.rewrite;

import dev.weft.agent.core.FrameContract;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The mark a class file gets when the agent writes it, whether rewritten or only disarmed: which
 * version of the frame-stack contract its code follows ({@link FrameContract#REWRITTEN_DESC}).
 * Classes rewritten ahead of time keep it, so the agent can leave them alone at load time.
 */
public final class RewriteMark {
  /** What {@link #versionOf} answers for a class without the mark. */
  public static final int UNMARKED = -1;

  private RewriteMark() {}

  /** Puts the mark of the current contract on the class being written. */
  static void mark(ClassVisitor cv) {
    AnnotationVisitor a = cv.visitAnnotation(FrameContract.REWRITTEN_DESC, false);
    a.visit(FrameContract.REWRITTEN_VERSION, FrameContract.VERSION);
    a.visitEnd();
  }

  /**
   * The contract version a class was written for, {@link #UNMARKED} when it has no mark, or 0
   * when the mark carries no readable version. Reads the class's annotations only.
   */
  public static int versionOf(ClassReader reader) {
    int[] version = {UNMARKED};
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public AnnotationVisitor visitAnnotation(String desc, boolean visible) {
            if (!desc.equals(FrameContract.REWRITTEN_DESC)) {
              return null;
            }
            version[0] = 0;
            return new AnnotationVisitor(Opcodes.ASM9) {
              @Override
              public void visit(String name, Object value) {
                if (FrameContract.REWRITTEN_VERSION.equals(name) && value instanceof Integer) {
                  version[0] = (Integer) value;
                }
              }
            };
          }
        },
        ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return version[0];
  }
}
