package dev.weft.agent.rewrite;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Which locals are live (may be read before being written) before each instruction, by a backward
 * data-flow pass. A suspended frame saves only the locals live after its call: dead ones cost
 * heap in every parked fiber and would keep garbage reachable.
 */
final class Liveness {
  private Liveness() {}

  /** The live locals before each instruction, by index. */
  static BitSet[] compute(MethodNode method) {
    return compute(method, java.util.Collections.emptyMap());
  }

  /**
   * As {@link #compute(MethodNode)}, counting {@code extraUses}: instructions that also read a
   * local (a call whose resume reloads its receiver from that local).
   */
  static BitSet[] compute(MethodNode method, java.util.Map<AbstractInsnNode, Integer> extraUses) {
    InsnList insns = method.instructions;
    int n = insns.size();
    BitSet[] liveIn = new BitSet[n];
    List<List<Integer>> preds = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      liveIn[i] = new BitSet();
      preds.add(new ArrayList<>(2));
    }
    List<int[]> handlerEdges = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int s : successors(insns, i)) {
        preds.get(s).add(i);
      }
    }
    for (TryCatchBlockNode tcb : method.tryCatchBlocks) {
      int start = insns.indexOf(tcb.start);
      int end = insns.indexOf(tcb.end);
      int handler = insns.indexOf(tcb.handler);
      for (int i = start; i < end; i++) {
        preds.get(handler).add(i);
        handlerEdges.add(new int[] {i, handler});
      }
    }
    List<List<Integer>> handlersOf = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      handlersOf.add(new ArrayList<>(0));
    }
    for (int[] e : handlerEdges) {
      handlersOf.get(e[0]).add(e[1]);
    }
    ArrayDeque<Integer> work = new ArrayDeque<>();
    boolean[] queued = new boolean[n];
    for (int i = n - 1; i >= 0; i--) {
      work.add(i);
      queued[i] = true;
    }
    while (!work.isEmpty()) {
      int i = work.poll();
      queued[i] = false;
      AbstractInsnNode insn = insns.get(i);
      BitSet out = new BitSet();
      for (int s : successors(insns, i)) {
        out.or(liveIn[s]);
      }
      BitSet in = transfer(insn, out);
      Integer extra = extraUses.get(insn);
      if (extra != null) {
        in.set(extra);
      }
      for (int h : handlersOf.get(i)) {
        in.or(liveIn[h]);
      }
      if (!in.equals(liveIn[i])) {
        liveIn[i] = in;
        for (int p : preds.get(i)) {
          if (!queued[p]) {
            queued[p] = true;
            work.add(p);
          }
        }
      }
    }
    return liveIn;
  }

  /**
   * The locals live right after instruction {@code at}: the live-in of its normal successor, and
   * of every handler whose range covers it (the instruction itself may throw, a call even after a
   * resume).
   */
  static BitSet liveOut(MethodNode method, BitSet[] liveIn, int at) {
    InsnList insns = method.instructions;
    BitSet out = new BitSet();
    for (int s : successors(insns, at)) {
      out.or(liveIn[s]);
    }
    for (TryCatchBlockNode tcb : method.tryCatchBlocks) {
      if (insns.indexOf(tcb.start) <= at && at < insns.indexOf(tcb.end)) {
        out.or(liveIn[insns.indexOf(tcb.handler)]);
      }
    }
    return out;
  }

  private static BitSet transfer(AbstractInsnNode insn, BitSet out) {
    BitSet in = (BitSet) out.clone();
    if (insn instanceof VarInsnNode) {
      VarInsnNode v = (VarInsnNode) insn;
      int op = v.getOpcode();
      if (op >= Opcodes.ISTORE && op <= Opcodes.ASTORE) {
        in.clear(v.var);
        if (op == Opcodes.LSTORE || op == Opcodes.DSTORE) {
          in.clear(v.var + 1);
        }
      } else {
        in.set(v.var); // a load, or RET
      }
    } else if (insn instanceof IincInsnNode) {
      in.set(((IincInsnNode) insn).var);
    }
    return in;
  }

  private static List<Integer> successors(InsnList insns, int i) {
    List<Integer> out = new ArrayList<>(2);
    AbstractInsnNode insn = insns.get(i);
    if (insn instanceof JumpInsnNode) {
      out.add(insns.indexOf(((JumpInsnNode) insn).label));
    } else if (insn instanceof TableSwitchInsnNode) {
      TableSwitchInsnNode s = (TableSwitchInsnNode) insn;
      out.add(insns.indexOf(s.dflt));
      for (LabelNode l : s.labels) {
        out.add(insns.indexOf(l));
      }
    } else if (insn instanceof LookupSwitchInsnNode) {
      LookupSwitchInsnNode s = (LookupSwitchInsnNode) insn;
      out.add(insns.indexOf(s.dflt));
      for (LabelNode l : s.labels) {
        out.add(insns.indexOf(l));
      }
    }
    if (MonitorDepth.fallsThrough(insn) && i + 1 < insns.size()) {
      out.add(i + 1);
    }
    return out;
  }
}
