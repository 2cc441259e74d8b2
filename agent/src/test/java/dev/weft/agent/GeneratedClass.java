package dev.weft.agent;

import dev.weft.agent.hierarchy.ClassInfo;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/** A class file written for a test: a class or interface whose methods only return a default. */
public final class GeneratedClass {
  private final ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
  final String name;

  private GeneratedClass(String name, int access, String superName, String[] interfaces) {
    this.name = name;
    writer.visit(Opcodes.V11, access, name, null, superName, interfaces);
  }

  public static GeneratedClass anInterface(String name, String... interfaces) {
    return new GeneratedClass(
        name,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT,
        "java/lang/Object",
        interfaces);
  }

  public static GeneratedClass aClass(String name, String superName, String... interfaces) {
    GeneratedClass c =
        new GeneratedClass(name, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, superName, interfaces);
    MethodVisitor mv = c.writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    mv.visitCode();
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitMethodInsn(Opcodes.INVOKESPECIAL, superName, "<init>", "()V", false);
    mv.visitInsn(Opcodes.RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    return c;
  }

  public GeneratedClass abstractMethod(String method, String desc, boolean suspendable) {
    MethodVisitor mv =
        writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, method, desc, null, null);
    annotate(mv, suspendable);
    mv.visitEnd();
    return this;
  }

  /** A method that returns its return type's default value. */
  public GeneratedClass method(String method, String desc, boolean suspendable) {
    return method(Opcodes.ACC_PUBLIC, method, desc, suspendable);
  }

  /** A static method that returns its return type's default value. */
  public GeneratedClass staticMethod(String method, String desc) {
    return method(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, method, desc, false);
  }

  private GeneratedClass method(int access, String method, String desc, boolean suspendable) {
    MethodVisitor mv = writer.visitMethod(access, method, desc, null, null);
    annotate(mv, suspendable);
    mv.visitCode();
    Type ret = Type.getReturnType(desc);
    switch (ret.getSort()) {
      case Type.VOID:
        break;
      case Type.OBJECT:
      case Type.ARRAY:
        mv.visitInsn(Opcodes.ACONST_NULL);
        break;
      case Type.LONG:
        mv.visitInsn(Opcodes.LCONST_0);
        break;
      case Type.FLOAT:
        mv.visitInsn(Opcodes.FCONST_0);
        break;
      case Type.DOUBLE:
        mv.visitInsn(Opcodes.DCONST_0);
        break;
      default:
        mv.visitInsn(Opcodes.ICONST_0);
    }
    mv.visitInsn(ret.getOpcode(Opcodes.IRETURN));
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    return this;
  }

  /** A bridge, as javac writes one for a covariant override: it calls {@code targetDesc}. */
  public GeneratedClass bridge(String method, String desc, String targetDesc) {
    MethodVisitor mv =
        writer.visitMethod(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC, method, desc, null, null);
    mv.visitCode();
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, name, method, targetDesc, false);
    mv.visitInsn(Type.getReturnType(desc).getOpcode(Opcodes.IRETURN));
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    return this;
  }

  private static void annotate(MethodVisitor mv, boolean suspendable) {
    if (suspendable) {
      mv.visitAnnotation(ClassInfo.SUSPENDABLE_DESC, true).visitEnd();
    }
  }

  public byte[] bytes() {
    writer.visitEnd();
    return writer.toByteArray();
  }
}
