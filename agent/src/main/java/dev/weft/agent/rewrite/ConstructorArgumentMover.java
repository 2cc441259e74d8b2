package dev.weft.agent.rewrite;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Moves {@code NEW T; DUP} past the arguments of the constructor call when an argument suspends
 * ({@code new Foo(f())}). An uninitialised object cannot be saved, and could not be recreated on
 * resume; once moved, the arguments are evaluated first, kept in fresh locals, and the object is
 * created right before its constructor runs. Argument evaluation order is unchanged; only the
 * allocation happens later, which no Java program can observe.
 */
final class ConstructorArgumentMover {
  private ConstructorArgumentMover() {}

  /**
   * Rewrites every NEW whose constructor arguments contain one of {@code sites}.
   *
   * @param nextLocal the first free local slot
   * @return the next free local slot after the temporaries this used
   */
  static int move(MethodNode method, Set<AbstractInsnNode> sites, int nextLocal) {
    InsnList insns = method.instructions;
    List<TypeInsnNode> news = new ArrayList<>();
    for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext()) {
      if (insn.getOpcode() == Opcodes.NEW) {
        news.add((TypeInsnNode) insn);
      }
    }
    for (TypeInsnNode newInsn : news) {
      MethodInsnNode init = matchingInit(newInsn);
      if (init == null || !containsSite(newInsn, init, sites)) {
        continue;
      }
      AbstractInsnNode dup = nextReal(newInsn);
      if (dup == null || dup.getOpcode() != Opcodes.DUP) {
        throw new UntransformableException(
            "a suspendable call inside the arguments of new " + newInsn.desc
                + " whose NEW is not followed by DUP (not javac's shape)");
      }
      insns.remove(newInsn);
      insns.remove(dup);
      InsnList before = new InsnList();
      Type[] args = Type.getArgumentTypes(init.desc);
      int[] slots = new int[args.length];
      for (int k = 0; k < args.length; k++) {
        slots[k] = nextLocal;
        nextLocal += args[k].getSize();
      }
      for (int k = args.length - 1; k >= 0; k--) {
        before.add(new VarInsnNode(args[k].getOpcode(Opcodes.ISTORE), slots[k]));
      }
      before.add(new TypeInsnNode(Opcodes.NEW, newInsn.desc));
      before.add(new InsnNode(Opcodes.DUP));
      for (int k = 0; k < args.length; k++) {
        before.add(new VarInsnNode(args[k].getOpcode(Opcodes.ILOAD), slots[k]));
      }
      insns.insertBefore(init, before);
    }
    return nextLocal;
  }

  private static MethodInsnNode matchingInit(TypeInsnNode newInsn) {
    int nested = 0;
    for (AbstractInsnNode i = newInsn.getNext(); i != null; i = i.getNext()) {
      if (i.getOpcode() == Opcodes.NEW) {
        nested++;
      } else if (i.getOpcode() == Opcodes.INVOKESPECIAL && ((MethodInsnNode) i).name.equals("<init>")) {
        if (nested == 0) {
          return ((MethodInsnNode) i).owner.equals(newInsn.desc) ? (MethodInsnNode) i : null;
        }
        nested--;
      }
    }
    return null;
  }

  private static boolean containsSite(
      AbstractInsnNode from, AbstractInsnNode to, Set<AbstractInsnNode> sites) {
    for (AbstractInsnNode i = from; i != to; i = i.getNext()) {
      if (sites.contains(i)) {
        return true;
      }
    }
    return false;
  }

  private static AbstractInsnNode nextReal(AbstractInsnNode insn) {
    AbstractInsnNode i = insn.getNext();
    while (i != null && i.getOpcode() < 0) {
      i = i.getNext();
    }
    return i;
  }
}
