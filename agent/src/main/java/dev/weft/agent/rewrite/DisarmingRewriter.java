package dev.weft.agent.rewrite;

import dev.weft.agent.core.FrameContract;
import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The fallback for a class whose suspendable methods could not be rewritten: each of them only
 * gets a call to {@code FrameStack.disarm()} at its start. The call leaves the operand stack and
 * the locals as they were, so the class's own stack map frames stay valid and nothing needs to
 * be computed: this cannot fail where the full rewrite did. A fiber that then suspends below such
 * a method fails with an error naming it, instead of slipping through a frame that cannot unwind.
 */
public final class DisarmingRewriter {
  private DisarmingRewriter() {}

  /**
   * The methods of a class that could override another class's method: with code, neither
   * static, private nor a constructor or initialiser ({@code name + desc}).
   */
  public static Set<String> overridable(ClassReader reader) {
    Set<String> out = new HashSet<>();
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String sig, String[] exceptions) {
            int excluded =
                Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE;
            if ((access & excluded) == 0 && !name.startsWith("<")) {
              out.add(name + desc);
            }
            return null;
          }
        },
        ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return out;
  }

  /** The class with {@code disarm()} calls added to the named methods ({@code name + desc}). */
  public static byte[] rewrite(byte[] bytes, Set<String> methods) {
    ClassReader reader = new ClassReader(bytes);
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          private boolean marked;

          @Override
          public AnnotationVisitor visitAnnotation(String desc, boolean visible) {
            marked |= desc.equals(FrameContract.REWRITTEN_DESC);
            return super.visitAnnotation(desc, visible);
          }

          @Override
          public void visitEnd() {
            if (!marked) {
              RewriteMark.mark(cv);
            }
            super.visitEnd();
          }

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String sig, String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, desc, sig, exceptions);
            if (!methods.contains(name + desc)) {
              return mv;
            }
            return new MethodVisitor(Opcodes.ASM9, mv) {
              @Override
              public void visitCode() {
                super.visitCode();
                super.visitMethodInsn(
                    Opcodes.INVOKESTATIC, FrameContract.FRAME_STACK, "disarm", "()V", false);
              }
            };
          }
        },
        0);
    return writer.toByteArray();
  }
}
