package dev.weft.agent.hierarchy;

import dev.weft.agent.core.FrameContract;
import java.util.LinkedHashSet;
import java.util.Set;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Decides which methods of a class are suspendable (SPEC section 4): annotated or listed ones,
 * overrides and implementations of suspendable methods, {@code lambda$} bodies and method
 * reference targets whose functional interface method is suspendable, and the bridge methods and
 * synthetic accessors that lead to a suspendable method.
 */
public final class SuspendableMethods {
  private static final String LAMBDA_FACTORY = "java/lang/invoke/LambdaMetafactory";

  private SuspendableMethods() {}

  /**
   * The suspendable methods of {@code cn}, which must already be registered in the hierarchy as
   * {@code self}. Method references to other classes' methods are added to {@code list}, so those
   * classes are rewritten too when they load; {@code onForeignTarget} hears of each.
   */
  public static Set<MethodNode> find(
      ClassNode cn,
      ClassInfo self,
      ClassHierarchy hierarchy,
      SuspendablesList list,
      java.util.function.Consumer<String> onForeignTarget) {
    Set<MethodNode> result = new LinkedHashSet<>();
    for (MethodNode m : cn.methods) {
      if (isCode(m) && isSuspendableDeclaration(cn, self, m, hierarchy)) {
        result.add(m);
      }
    }
    // Lambda bodies and method references that implement a suspendable interface method.
    for (MethodNode m : cn.methods) {
      for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
        if (!(insn instanceof InvokeDynamicInsnNode)) {
          continue;
        }
        InvokeDynamicInsnNode indy = (InvokeDynamicInsnNode) insn;
        if (!indy.bsm.getOwner().equals(LAMBDA_FACTORY) || indy.bsmArgs.length < 3) {
          continue;
        }
        String itf = Type.getReturnType(indy.desc).getInternalName();
        String samDesc = ((Type) indy.bsmArgs[0]).getDescriptor();
        if (!hierarchy.isSuspendable(itf, indy.name, samDesc)) {
          continue;
        }
        Handle impl = (Handle) indy.bsmArgs[1];
        if (impl.getName().equals("<init>")) {
          continue;
        }
        if (impl.getOwner().equals(cn.name)) {
          MethodNode target = find(cn, impl.getName(), impl.getDesc());
          if (target != null && isCode(target)) {
            result.add(target);
          }
        } else if (!ClassHierarchy.isPlatform(impl.getOwner())
            && !hierarchy.isSuspendable(impl.getOwner(), impl.getName(), impl.getDesc())) {
          String entry = impl.getOwner() + "#" + impl.getName() + impl.getDesc();
          list.add(entry);
          onForeignTarget.accept(impl.getOwner());
        }
      }
    }
    // Bridges and accessors, to a fixed point: a bridge or synthetic method is suspendable when
    // it calls a suspendable method, and a suspendable bridge makes the method it bridges to
    // suspendable too.
    for (boolean changed = true; changed; ) {
      changed = false;
      for (MethodNode m : cn.methods) {
        boolean synthetic = (m.access & (Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC)) != 0;
        if (!synthetic || !isCode(m) || m.name.startsWith("lambda$")) {
          continue;
        }
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
          if (!(insn instanceof MethodInsnNode)) {
            continue;
          }
          MethodInsnNode call = (MethodInsnNode) insn;
          MethodNode local = call.owner.equals(cn.name) ? find(cn, call.name, call.desc) : null;
          boolean calleeSuspendable =
              local != null
                  ? result.contains(local)
                  : hierarchy.isSuspendable(call.owner, call.name, call.desc);
          if (calleeSuspendable && result.add(m)) {
            changed = true;
          }
          if ((m.access & Opcodes.ACC_BRIDGE) != 0
              && result.contains(m)
              && local != null
              && isCode(local)
              && local.name.equals(m.name)
              && result.add(local)) {
            changed = true;
          }
        }
      }
    }
    for (java.util.Iterator<MethodNode> it = result.iterator(); it.hasNext(); ) {
      if (alreadyRewritten(it.next())) {
        it.remove();
      }
    }
    boolean learned = false;
    for (MethodNode m : result) {
      if (!self.marksSuspendable(m.name + m.desc)) {
        self.markSuspendable(m.name + m.desc);
        learned = true;
      }
    }
    if (learned) {
      hierarchy.invalidateAnswers();
    }
    return result;
  }

  private static boolean isSuspendableDeclaration(
      ClassNode cn, ClassInfo self, MethodNode m, ClassHierarchy hierarchy) {
    String key = m.name + m.desc;
    if (self.marksSuspendable(key)) {
      return true;
    }
    if ((m.access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) != 0) {
      return false; // neither overrides anything
    }
    if (cn.superName != null && hierarchy.isSuspendable(cn.superName, m.name, m.desc)) {
      return true;
    }
    for (String i : cn.interfaces) {
      if (hierarchy.isSuspendable(i, m.name, m.desc)) {
        return true;
      }
    }
    return false;
  }

  /** A method rewritten before (by an earlier run of the agent over this class file). */
  private static boolean alreadyRewritten(MethodNode m) {
    if (m.visibleAnnotations != null) {
      for (org.objectweb.asm.tree.AnnotationNode a : m.visibleAnnotations) {
        if (a.desc.equals(FrameContract.INSTRUMENTED_DESC)) {
          return true;
        }
      }
    }
    return false;
  }

  static boolean isCode(MethodNode m) {
    return (m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0
        && !m.name.equals("<init>")
        && !m.name.equals("<clinit>");
  }

  private static MethodNode find(ClassNode cn, String name, String desc) {
    for (MethodNode m : cn.methods) {
      if (m.name.equals(name) && m.desc.equals(desc)) {
        return m;
      }
    }
    return null;
  }
}
