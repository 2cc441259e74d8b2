package dev.weft.conformance.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.agent.WeftTransformer;
import dev.weft.frame.FrameStack;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The part of the contract only big methods use: the compact form's calls into {@link FrameStack}
 * resolve in the runtime, and the call-site table the agent writes reads back in the runtime.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BigMethodContractTest {
  private static final String NAME = "gen/BigContract";

  @Test
  void theCompactFormsCallsResolveInTheRuntime() throws Exception {
    byte[] out =
        new WeftTransformer(null, true, false)
            .transform(getClass().getClassLoader(), NAME, bigClass(1500));
    assertNotNull(out, "the agent rewrites the big method");
    ClassNode cn = new ClassNode();
    new ClassReader(out).accept(cn, 0);
    Set<String> seen = new TreeSet<>();
    for (MethodNode m : cn.methods) {
      for (AbstractInsnNode insn : m.instructions) {
        if (insn instanceof MethodInsnNode
            && ((MethodInsnNode) insn).owner.equals(Type.getInternalName(FrameStack.class))) {
          MethodInsnNode call = (MethodInsnNode) insn;
          seen.add(call.name + call.desc);
          Method target = find(call.name, call.desc);
          assertNotNull(target, "FrameStack has no public " + call.name + call.desc);
          assertEquals(call.getOpcode() == Opcodes.INVOKESTATIC, Modifier.isStatic(target.getModifiers()),
              call.name + call.desc + " static-ness");
        }
      }
    }
    for (String compact :
        new String[] {
          "arm(Ldev/weft/frame/FrameStack;ILjava/lang/Object;)V",
          "unwinding(ILdev/weft/frame/FrameStack;)Z",
          "pushFrame(ILjava/lang/String;Ldev/weft/frame/FrameStack;)V",
          "mismatch(Ljava/lang/String;)Ljava/lang/IllegalStateException;"
        }) {
      assertTrue(seen.contains(compact), "the compact form emits " + compact + "; saw " + seen);
    }
  }

  @Test
  void theAgentsCallSiteTableReadsBackInTheRuntime() throws Exception {
    Method head = agentMethod("head", String.class, String.class, String.class);
    Method encode = agentMethod("encode", String.class, int[].class);
    Method site = Class.forName("dev.weft.frame.SiteTable").getDeclaredMethod("site", Object.class, int.class);
    site.setAccessible(true);
    int[] lines = {1, 0, 127, 128, 2047, 2048, 65535, 42};
    Object table = encode.invoke(null, head.invoke(null, "a/b/C", "m$1", "C.kt"), lines);
    for (int entry = 0; entry < lines.length; entry++) {
      String expected = "a.b.C.m$1(C.kt" + (lines[entry] == 0 ? "" : ":" + lines[entry]) + ")";
      assertEquals(expected, site.invoke(null, table, entry), "entry " + entry);
    }
    Object noSource = encode.invoke(null, head.invoke(null, "X", "y", null), new int[] {9});
    assertEquals("X.y(Unknown Source:9)", site.invoke(null, noSource, 0));
  }

  private static Method agentMethod(String name, Class<?>... params) throws Exception {
    Method m = Class.forName("dev.weft.agent.rewrite.SiteTable").getDeclaredMethod(name, params);
    m.setAccessible(true);
    return m;
  }

  private static Method find(String name, String desc) {
    for (Method m : FrameStack.class.getMethods()) {
      if (m.getName().equals(name) && Type.getMethodDescriptor(m).equals(desc)) {
        return m;
      }
    }
    return null;
  }

  /** A static method making {@code sites} calls to a suspendable {@code step(I)I}, an int under each. */
  private static byte[] bigClass(int sites) {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    cw.visit(Opcodes.V11, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, NAME, null, "java/lang/Object", null);
    MethodVisitor step = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "step", "(I)I", null, null);
    step.visitAnnotation("Ldev/weft/Suspendable;", true).visitEnd();
    step.visitCode();
    step.visitVarInsn(Opcodes.ILOAD, 0);
    step.visitInsn(Opcodes.IRETURN);
    step.visitMaxs(0, 0);
    step.visitEnd();
    MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "big", "()I", null, null);
    m.visitAnnotation("Ldev/weft/Suspendable;", true).visitEnd();
    m.visitCode();
    m.visitInsn(Opcodes.ICONST_0);
    m.visitVarInsn(Opcodes.ISTORE, 0);
    for (int k = 0; k < sites; k++) {
      m.visitVarInsn(Opcodes.ILOAD, 0);
      m.visitIntInsn(Opcodes.BIPUSH, k % 100);
      m.visitMethodInsn(Opcodes.INVOKESTATIC, NAME, "step", "(I)I", false);
      m.visitInsn(Opcodes.IADD);
      m.visitVarInsn(Opcodes.ISTORE, 0);
    }
    m.visitVarInsn(Opcodes.ILOAD, 0);
    m.visitInsn(Opcodes.IRETURN);
    m.visitMaxs(0, 0);
    m.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }
}
