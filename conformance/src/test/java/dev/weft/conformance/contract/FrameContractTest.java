package dev.weft.conformance.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.agent.WeftTransformer;
import dev.weft.frame.FrameStack;
import dev.weft.frame.Instrumented;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Ties the agent's copy of the frame-stack contract to the runtime's {@link FrameStack}: the agent
 * and the runtime are built apart and never see each other's classes, so a renamed method, a
 * changed descriptor or a renumbered mode bit would otherwise show only as a {@code
 * NoSuchMethodError} or, worse, a wrong mode at a user's desk.
 *
 * <p>Two ways: the agent's constants (its {@code FrameContract}) against the runtime's by
 * reflection, and every field, method and annotation reference into {@code dev.weft.frame} that the
 * agent actually emits when it rewrites {@link ContractSamples}, resolved against the runtime with
 * the same static-ness, type and visibility the bytecode needs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FrameContractTest {
  private static final String FRAME_PACKAGE = "dev/weft/frame/";

  @Test
  void everyModeBitTheAgentWritesIsTheRuntimes() throws Exception {
    Class<?> contract = Class.forName("dev.weft.agent.core.FrameContract");
    int compared = 0;
    for (Field agentSide : contract.getDeclaredFields()) {
      if (agentSide.getType() != int.class || agentSide.getName().equals("VERSION")) {
        continue; // VERSION numbers the contract itself, for classes rewritten ahead of time
      }
      agentSide.setAccessible(true);
      Field runtimeSide = FrameStack.class.getField(agentSide.getName());
      assertTrue(Modifier.isStatic(runtimeSide.getModifiers()) && Modifier.isFinal(runtimeSide.getModifiers()),
          runtimeSide + " must be a constant");
      assertEquals(runtimeSide.getInt(null), agentSide.getInt(null), "mode " + agentSide.getName());
      compared++;
    }
    for (String mode : List.of("NORMAL", "ARMED", "PINNED", "UNWINDING", "REWINDING")) {
      assertNotNull(contract.getDeclaredField(mode), "the agent names mode " + mode);
    }
    assertEquals(5, compared, "the agent's mode constants");
  }

  @Test
  void theAgentNamesTheRuntimesClasses() throws Exception {
    Class<?> contract = Class.forName("dev.weft.agent.core.FrameContract");
    assertEquals(Type.getInternalName(FrameStack.class), constant(contract, "FRAME_STACK"));
    assertEquals(Type.getDescriptor(FrameStack.class), constant(contract, "FRAME_STACK_DESC"));
    assertEquals(Type.getDescriptor(Instrumented.class), constant(contract, "INSTRUMENTED_DESC"));
    Retention retention = Instrumented.class.getAnnotation(Retention.class);
    assertEquals(RetentionPolicy.RUNTIME, retention.value(), "a stack walk must see the mark");
  }

  @Test
  void theSuspensionPointsArePublicStaticMethodsOfFrameStack() throws Exception {
    Class<?> contract = Class.forName("dev.weft.agent.core.FrameContract");
    Method isPoint = contract.getDeclaredMethod("isSuspensionPoint", String.class, String.class);
    isPoint.setAccessible(true);
    String owner = Type.getInternalName(FrameStack.class);
    int points = 0;
    for (Method m : FrameStack.class.getDeclaredMethods()) {
      String key = m.getName() + Type.getMethodDescriptor(m);
      if ((boolean) isPoint.invoke(null, owner, key)) {
        assertTrue(Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()), key);
        points++;
      }
    }
    assertEquals(4, points, "suspend, prepareSuspend, preempted and stressPoint");
    assertFalse((boolean) isPoint.invoke(null, "com/example/FrameStack", "suspend()V"));
  }

  @Test
  void everyReferenceTheAgentEmitsResolvesInTheRuntime() throws Exception {
    ClassNode rewritten = rewrite(ContractSamples.class);
    List<String> unresolved = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    for (MethodNode m : rewritten.methods) {
      for (AbstractInsnNode insn : m.instructions) {
        if (insn instanceof MethodInsnNode) {
          MethodInsnNode call = (MethodInsnNode) insn;
          if (call.owner.startsWith(FRAME_PACKAGE)) {
            seen.add(call.owner + "." + call.name + call.desc);
            String problem = resolveMethod(call);
            if (problem != null) {
              unresolved.add(problem);
            }
          }
        } else if (insn instanceof FieldInsnNode) {
          FieldInsnNode field = (FieldInsnNode) insn;
          if (field.owner.startsWith(FRAME_PACKAGE)) {
            seen.add(field.owner + "." + field.name + ":" + field.desc);
            String problem = resolveField(field);
            if (problem != null) {
              unresolved.add(problem);
            }
          }
        }
      }
      if (m.visibleAnnotations != null) {
        for (AnnotationNode a : m.visibleAnnotations) {
          if (a.desc.startsWith("L" + FRAME_PACKAGE)) {
            seen.add(a.desc);
            try {
              Class.forName(Type.getType(a.desc).getClassName());
            } catch (ClassNotFoundException e) {
              unresolved.add("annotation " + a.desc);
            }
          }
        }
      }
    }
    assertTrue(unresolved.isEmpty(), "references the runtime does not have: " + unresolved);
    // The samples must exercise the contract, or the check above proves nothing.
    for (String expected :
        List.of(
            "dev/weft/frame/FrameStack.current()Ldev/weft/frame/FrameStack;",
            "dev/weft/frame/FrameStack.mode:I",
            "dev/weft/frame/FrameStack.popFrame(ILjava/lang/String;)I",
            "dev/weft/frame/FrameStack.clearArm()V",
            "dev/weft/frame/FrameStack.preempted()V",
            "dev/weft/frame/FrameStack.preempt:Z",
            "Ldev/weft/frame/Instrumented;")) {
      assertTrue(seen.contains(expected), "the rewrite of the samples emits " + expected + "; saw " + seen);
    }
    assertTrue(seen.size() >= 15, "the samples reach most of the contract: " + seen);
  }

  private static Object constant(Class<?> contract, String name) throws Exception {
    Field f = contract.getDeclaredField(name);
    f.setAccessible(true);
    return f.get(null);
  }

  private static ClassNode rewrite(Class<?> c) throws IOException {
    String name = Type.getInternalName(c);
    byte[] original;
    try (InputStream in = c.getClassLoader().getResourceAsStream(name + ".class")) {
      original = in.readAllBytes();
    }
    byte[] bytes = new WeftTransformer(null, true, false).transform(c.getClassLoader(), name, original);
    assertNotNull(bytes, "the agent rewrites " + name);
    ClassNode node = new ClassNode();
    new ClassReader(bytes).accept(node, 0);
    return node;
  }

  private static String resolveMethod(MethodInsnNode call) throws ClassNotFoundException {
    Class<?> owner = Class.forName(Type.getObjectType(call.owner).getClassName());
    for (Method m : owner.getMethods()) {
      if (m.getName().equals(call.name) && Type.getMethodDescriptor(m).equals(call.desc)) {
        boolean isStatic = Modifier.isStatic(m.getModifiers());
        if (isStatic != (call.getOpcode() == Opcodes.INVOKESTATIC)) {
          return call.owner + "." + call.name + call.desc + " is called as "
              + (isStatic ? "an instance" : "a static") + " method";
        }
        return null;
      }
    }
    return "no public method " + call.owner + "." + call.name + call.desc;
  }

  private static String resolveField(FieldInsnNode insn) throws ClassNotFoundException {
    Class<?> owner = Class.forName(Type.getObjectType(insn.owner).getClassName());
    try {
      Field f = owner.getField(insn.name);
      if (!Type.getDescriptor(f.getType()).equals(insn.desc)) {
        return insn.owner + "." + insn.name + " is " + Type.getDescriptor(f.getType()) + ", not " + insn.desc;
      }
      boolean isStatic = Modifier.isStatic(f.getModifiers());
      boolean staticAccess = insn.getOpcode() == Opcodes.GETSTATIC || insn.getOpcode() == Opcodes.PUTSTATIC;
      if (isStatic != staticAccess) {
        return insn.owner + "." + insn.name + " static-ness differs";
      }
      if (Modifier.isFinal(f.getModifiers())
          && (insn.getOpcode() == Opcodes.PUTFIELD || insn.getOpcode() == Opcodes.PUTSTATIC)) {
        return insn.owner + "." + insn.name + " is final but the agent writes it";
      }
      return null;
    } catch (NoSuchFieldException e) {
      return "no public field " + insn.owner + "." + insn.name;
    }
  }
}
