package dev.weft.agent.rewrite;

import dev.weft.agent.core.FrameContract;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Makes a rewritten class's static initialiser hold the caller's arm aside while it runs. The
 * first call of a static method initialises its class after the caller armed the call and before
 * the method's prologue reads the arm: a suspendable method the initialiser calls would take the
 * arm for its own (and could unwind through the initialiser, which cannot be resumed), and the
 * method the caller armed would find it gone. So the initialiser starts with {@code
 * FrameStack.heldFor()} and {@code FrameStack.holdArm()} into two new locals, and gives both back
 * with {@code FrameStack.restoreArm} before each return.
 */
final class InitialiserGuard {
  private InitialiserGuard() {}

  static void guard(MethodNode clinit) {
    InsnList insns = clinit.instructions;
    int armedLocal = clinit.maxLocals;
    int forLocal = armedLocal + 1;
    clinit.maxLocals += 2;
    clinit.maxStack = Math.max(clinit.maxStack, 2);
    for (AbstractInsnNode i = insns.getFirst(); i != null; i = i.getNext()) {
      if (i.getOpcode() == Opcodes.RETURN) {
        InsnList give = new InsnList();
        give.add(new VarInsnNode(Opcodes.ILOAD, armedLocal));
        give.add(new VarInsnNode(Opcodes.ALOAD, forLocal));
        give.add(frameStackCall("restoreArm", "(ILjava/lang/Object;)V"));
        insns.insertBefore(i, give);
      }
    }
    InsnList hold = new InsnList();
    hold.add(frameStackCall("heldFor", "()Ljava/lang/Object;"));
    hold.add(new VarInsnNode(Opcodes.ASTORE, forLocal));
    hold.add(frameStackCall("holdArm", "()I"));
    hold.add(new VarInsnNode(Opcodes.ISTORE, armedLocal));
    insns.insert(hold);
  }

  private static MethodInsnNode frameStackCall(String name, String desc) {
    return new MethodInsnNode(Opcodes.INVOKESTATIC, FrameContract.FRAME_STACK, name, desc, false);
  }
}
