package dev.weft.agent.rewrite;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * The length in bytes of a method's code as the class writer will emit it, so the rewriter can
 * choose a more compact form before the JVM's 64 KB limit is hit. An upper bound within a few
 * bytes: an {@code ldc} counts as {@code ldc_w} (the constant pool index is not known yet), and a
 * jump that cannot reach its target in 16 bits counts as the {@code goto_w} form the writer will
 * then emit (5 bytes, 8 for a conditional jump, which becomes the inverted jump over a {@code
 * goto_w}).
 */
final class CodeSize {
  /** The largest code length the JVM accepts (the attribute's offsets are 16-bit). */
  static final int MAX_METHOD = 65535;

  private CodeSize() {}

  /** The code length of {@code m} in bytes. */
  static int of(MethodNode m) {
    InsnList insns = m.instructions;
    AbstractInsnNode[] all = insns.toArray();
    Set<JumpInsnNode> wide = new HashSet<>();
    int[] offset = new int[all.length + 1];
    while (true) {
      int at = 0;
      for (int i = 0; i < all.length; i++) {
        offset[i] = at;
        at += size(all[i], at, wide);
      }
      offset[all.length] = at;
      boolean grew = false;
      for (int i = 0; i < all.length; i++) {
        if (all[i] instanceof JumpInsnNode && !wide.contains(all[i])) {
          JumpInsnNode jump = (JumpInsnNode) all[i];
          int distance = offset[insns.indexOf(jump.label)] - offset[i];
          if (distance > Short.MAX_VALUE || distance < Short.MIN_VALUE) {
            wide.add(jump);
            grew = true;
          }
        }
      }
      if (!grew) {
        return at;
      }
    }
  }

  private static int size(AbstractInsnNode insn, int at, Set<JumpInsnNode> wide) {
    int op = insn.getOpcode();
    if (op < 0) {
      return 0; // a label, a line number or a frame
    }
    switch (insn.getType()) {
      case AbstractInsnNode.INSN:
        return 1;
      case AbstractInsnNode.INT_INSN:
        return ((IntInsnNode) insn).getOpcode() == Opcodes.SIPUSH ? 3 : 2;
      case AbstractInsnNode.VAR_INSN:
        int var = ((VarInsnNode) insn).var;
        return var < 4 && op != Opcodes.RET ? 1 : var < 256 ? 2 : 4;
      case AbstractInsnNode.IINC_INSN:
        IincInsnNode inc = (IincInsnNode) insn;
        return inc.var < 256 && inc.incr >= Byte.MIN_VALUE && inc.incr <= Byte.MAX_VALUE ? 3 : 6;
      case AbstractInsnNode.LDC_INSN:
        return 3;
      case AbstractInsnNode.JUMP_INSN:
        if (!wide.contains(insn)) {
          return 3;
        }
        return op == Opcodes.GOTO || op == Opcodes.JSR ? 5 : 8;
      case AbstractInsnNode.TABLESWITCH_INSN:
        return 1 + padding(at) + 12 + 4 * ((TableSwitchInsnNode) insn).labels.size();
      case AbstractInsnNode.LOOKUPSWITCH_INSN:
        return 1 + padding(at) + 8 + 8 * ((LookupSwitchInsnNode) insn).labels.size();
      case AbstractInsnNode.METHOD_INSN:
        return op == Opcodes.INVOKEINTERFACE ? 5 : 3;
      case AbstractInsnNode.INVOKE_DYNAMIC_INSN:
        return 5;
      case AbstractInsnNode.MULTIANEWARRAY_INSN:
        return 4;
      default: // TYPE_INSN, FIELD_INSN
        return 3;
    }
  }

  /** Switches align their operands on a 4-byte boundary after the opcode. */
  private static int padding(int at) {
    return (4 - ((at + 1) & 3)) & 3;
  }
}
