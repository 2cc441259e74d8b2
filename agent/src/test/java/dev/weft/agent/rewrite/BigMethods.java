package dev.weft.agent.rewrite;

import dev.weft.agent.hierarchy.ClassHierarchy;
import dev.weft.agent.hierarchy.ClassInfo;
import dev.weft.agent.hierarchy.SuspendablesList;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A generated class whose static method {@code big()J} makes {@code sites} calls to the suspendable
 * {@code step(I)I}, with an int, a long, a double, a float and references live across them and, in
 * turn, an int, a long, a double or nothing on the operand stack under the call: the shape of a
 * huge generated test method, at any size.
 */
public final class BigMethods {
  public static final String NAME = "gen/Big";
  private final int sites;

  public BigMethods(int sites) {
    this.sites = sites;
  }

  ClassLoader loader() {
    return BigMethods.class.getClassLoader();
  }

  ClassRewriter rewriter() {
    SuspendablesList list = new SuspendablesList();
    return new ClassRewriter(new ClassHierarchy(loader(), list), list, name -> {}, true, true);
  }

  public byte[] bytes() {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    cw.visit(Opcodes.V11, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, NAME, null, "java/lang/Object", null);
    MethodVisitor step =
        cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "step", "(I)I", null, null);
    suspendable(step);
    step.visitCode();
    step.visitVarInsn(Opcodes.ILOAD, 0);
    step.visitInsn(Opcodes.IRETURN);
    step.visitMaxs(0, 0);
    step.visitEnd();

    MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "big", "()J", null, null);
    suspendable(m);
    m.visitCode();
    m.visitInsn(Opcodes.ICONST_0);
    m.visitVarInsn(Opcodes.ISTORE, 0); // int acc
    m.visitInsn(Opcodes.LCONST_1);
    m.visitVarInsn(Opcodes.LSTORE, 1); // long
    m.visitInsn(Opcodes.DCONST_1);
    m.visitVarInsn(Opcodes.DSTORE, 3); // double
    m.visitInsn(Opcodes.FCONST_2);
    m.visitVarInsn(Opcodes.FSTORE, 5); // float
    m.visitLdcInsn("ref");
    m.visitVarInsn(Opcodes.ASTORE, 6); // String
    for (int k = 0; k < sites; k++) {
      switch (k % 4) {
        case 0:
          m.visitVarInsn(Opcodes.ILOAD, 0);
          m.visitIntInsn(Opcodes.BIPUSH, k % 100);
          step(m);
          m.visitInsn(Opcodes.IADD);
          m.visitVarInsn(Opcodes.ISTORE, 0);
          break;
        case 1:
          m.visitVarInsn(Opcodes.LLOAD, 1);
          m.visitInsn(Opcodes.ICONST_1);
          step(m);
          m.visitInsn(Opcodes.I2L);
          m.visitInsn(Opcodes.LADD);
          m.visitVarInsn(Opcodes.LSTORE, 1);
          break;
        case 2:
          m.visitVarInsn(Opcodes.DLOAD, 3);
          m.visitInsn(Opcodes.ICONST_2);
          step(m);
          m.visitInsn(Opcodes.I2D);
          m.visitInsn(Opcodes.DADD);
          m.visitVarInsn(Opcodes.DSTORE, 3);
          break;
        default:
          m.visitInsn(Opcodes.ICONST_3);
          step(m);
          m.visitInsn(Opcodes.POP);
          break;
      }
    }
    m.visitVarInsn(Opcodes.LLOAD, 1);
    m.visitVarInsn(Opcodes.ILOAD, 0);
    m.visitInsn(Opcodes.I2L);
    m.visitInsn(Opcodes.LADD);
    m.visitVarInsn(Opcodes.DLOAD, 3);
    m.visitInsn(Opcodes.D2L);
    m.visitInsn(Opcodes.LADD);
    m.visitVarInsn(Opcodes.FLOAD, 5);
    m.visitInsn(Opcodes.F2L);
    m.visitInsn(Opcodes.LADD);
    m.visitVarInsn(Opcodes.ALOAD, 6);
    m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/String", "length", "()I", false);
    m.visitInsn(Opcodes.I2L);
    m.visitInsn(Opcodes.LADD);
    m.visitInsn(Opcodes.LRETURN);
    m.visitMaxs(0, 0);
    m.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  private static void step(MethodVisitor m) {
    m.visitMethodInsn(Opcodes.INVOKESTATIC, NAME, "step", "(I)I", false);
  }

  private static void suspendable(MethodVisitor m) {
    AnnotationVisitor a = m.visitAnnotation(ClassInfo.SUSPENDABLE_DESC, true);
    a.visitEnd();
  }
}
