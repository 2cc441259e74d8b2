package dev.weft.agent.rewrite;

import java.util.ArrayDeque;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * How many monitors ({@code synchronized} blocks) are held before each instruction, by a forward
 * data-flow pass. A suspendable call made while one is held pins the fiber instead of unwinding.
 */
final class MonitorDepth {
  private MonitorDepth() {}

  /** The depth before each instruction, by index; -1 for unreachable instructions. */
  static int[] compute(MethodNode method) {
    InsnList insns = method.instructions;
    int n = insns.size();
    int[] depth = new int[n];
    java.util.Arrays.fill(depth, -1);
    if (n == 0) {
      return depth;
    }
    int enters = 0;
    for (AbstractInsnNode insn : insns) {
      enters += insn.getOpcode() == Opcodes.MONITORENTER ? 1 : 0;
    }
    ArrayDeque<Integer> work = new ArrayDeque<>();
    flow(depth, enters, work, 0, 0);
    while (!work.isEmpty()) {
      int i = work.poll();
      AbstractInsnNode insn = insns.get(i);
      int d = depth[i];
      int op = insn.getOpcode();
      int after = op == Opcodes.MONITORENTER ? d + 1 : op == Opcodes.MONITOREXIT ? Math.max(0, d - 1) : d;
      if (insn instanceof JumpInsnNode) {
        flow(depth, enters, work, insns.indexOf(((JumpInsnNode) insn).label), after);
      } else if (insn instanceof TableSwitchInsnNode) {
        TableSwitchInsnNode s = (TableSwitchInsnNode) insn;
        flow(depth, enters, work, insns.indexOf(s.dflt), after);
        for (LabelNode l : s.labels) {
          flow(depth, enters, work, insns.indexOf(l), after);
        }
      } else if (insn instanceof LookupSwitchInsnNode) {
        LookupSwitchInsnNode s = (LookupSwitchInsnNode) insn;
        flow(depth, enters, work, insns.indexOf(s.dflt), after);
        for (LabelNode l : s.labels) {
          flow(depth, enters, work, insns.indexOf(l), after);
        }
      }
      if (fallsThrough(insn) && i + 1 < n) {
        flow(depth, enters, work, i + 1, after);
      }
      for (TryCatchBlockNode tcb : method.tryCatchBlocks) {
        int start = insns.indexOf(tcb.start);
        int end = insns.indexOf(tcb.end);
        if (i >= start && i < end) {
          flow(depth, enters, work, insns.indexOf(tcb.handler), d);
          if (tcb.type == null) {
            // The JVM takes the first entry that matches; a catch-all matches everything, so the
            // entries after it (an outer try around a synchronized block) are never reached from
            // here. Flowing into them anyway made a loop around try { synchronized } count one
            // more monitor on every turn.
            break;
          }
        }
      }
    }
    return depth;
  }

  private static void flow(int[] depth, int enters, ArrayDeque<Integer> work, int target, int d) {
    // Never more monitors than the method has monitorenter instructions: whatever the shape of
    // the code, the count settles and the pass ends.
    d = Math.min(d, enters);
    if (d > depth[target]) {
      depth[target] = d;
      work.add(target);
    }
  }

  static boolean fallsThrough(AbstractInsnNode insn) {
    int op = insn.getOpcode();
    switch (op) {
      case Opcodes.GOTO:
      case Opcodes.TABLESWITCH:
      case Opcodes.LOOKUPSWITCH:
      case Opcodes.ATHROW:
      case Opcodes.RET:
      case Opcodes.IRETURN:
      case Opcodes.LRETURN:
      case Opcodes.FRETURN:
      case Opcodes.DRETURN:
      case Opcodes.ARETURN:
      case Opcodes.RETURN:
        return false;
      default:
        return true;
    }
  }
}
