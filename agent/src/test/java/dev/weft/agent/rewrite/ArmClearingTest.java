package dev.weft.agent.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.agent.ClassFiles;
import dev.weft.agent.WeftTransformer;
import example.fixtures.MonitorShapes;
import example.fixtures.Shapes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * Where the rewrite clears a stale arm: at the start of every handler except javac's monitor
 * release handlers (left as javac wrote them), and in a catch-all that covers the unpinned
 * suspendable call instructions and nothing else, so it never overlaps a monitor region.
 */
@Timeout(30)
class ArmClearingTest {
  private final WeftTransformer transformer = new WeftTransformer(null, true, true);

  private MethodNode rewritten(Class<?> c, String name) throws IOException {
    byte[] bytes =
        transformer.transform(
            c.getClassLoader(), c.getName().replace('.', '/'), null, null,
            ClassFiles.bytesOf(c));
    ClassNode cn = new ClassNode();
    new ClassReader(bytes).accept(cn, ClassReader.SKIP_FRAMES);
    return cn.methods.stream().filter(m -> m.name.equals(name)).findFirst().get();
  }

  private static AbstractInsnNode firstInsn(AbstractInsnNode from) {
    AbstractInsnNode i = from;
    while (i.getOpcode() < 0) {
      i = i.getNext();
    }
    return i;
  }

  private static boolean isCall(AbstractInsnNode i, String name) {
    return i instanceof MethodInsnNode && ((MethodInsnNode) i).name.equals(name);
  }

  /** javac's handler that releases a monitor lies inside a range it handles itself. */
  private static boolean releasesAMonitor(MethodNode m, TryCatchBlockNode tcb) {
    int at = m.instructions.indexOf(tcb.handler);
    for (TryCatchBlockNode other : m.tryCatchBlocks) {
      if (other.handler == tcb.handler
          && m.instructions.indexOf(other.start) <= at
          && at < m.instructions.indexOf(other.end)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isCatchAll(TryCatchBlockNode tcb) {
    AbstractInsnNode first = firstInsn(tcb.handler);
    return tcb.type == null
        && isCall(first, "clearArm")
        && firstInsn(first.getNext()).getOpcode() == Opcodes.ATHROW;
  }

  /** The real instructions each catch-all entry covers. */
  private static List<AbstractInsnNode> coveredByCatchAll(MethodNode m) {
    List<AbstractInsnNode> covered = new ArrayList<>();
    for (TryCatchBlockNode tcb : m.tryCatchBlocks) {
      if (!isCatchAll(tcb)) {
        continue;
      }
      for (AbstractInsnNode i = tcb.start; i != tcb.end; i = i.getNext()) {
        if (i.getOpcode() >= 0) {
          covered.add(i);
        }
      }
    }
    return covered;
  }

  private static void assertHandlersClearExceptMonitorReleases(MethodNode m, int releases) {
    int seen = 0;
    for (TryCatchBlockNode tcb : m.tryCatchBlocks) {
      AbstractInsnNode first = firstInsn(tcb.handler);
      if (releasesAMonitor(m, tcb)) {
        seen++;
        assertEquals(Opcodes.ASTORE, first.getOpcode(), m.name + ": a release handler was changed");
      } else {
        assertTrue(isCall(first, "clearArm"), m.name + ": a handler does not clear the arm");
      }
    }
    assertTrue(seen >= releases, m.name + ": " + seen + " release handler entries");
  }

  @Test
  void theCatchAllCoversOnlyTheUnpinnedCalls() throws IOException {
    MethodNode m = rewritten(MonitorShapes.class, "mixed");
    int[] depth = MonitorDepth.compute(m);
    List<AbstractInsnNode> covered = coveredByCatchAll(m);
    List<String> names = new ArrayList<>();
    for (AbstractInsnNode i : covered) {
      assertTrue(i instanceof MethodInsnNode, "the catch-all covers a non-call: opcode " + i.getOpcode());
      assertEquals(0, depth[m.instructions.indexOf(i)], "the catch-all covers a held monitor");
      names.add(((MethodInsnNode) i).name);
    }
    // pause(n), pause(2) in the handler after the monitor, pause(3), the loop's preemption point,
    // the stress point every rewritten method starts with
    java.util.Collections.sort(names);
    assertEquals(List.of("pause", "pause", "pause", "preempted", "stressPoint"), names);
    assertHandlersClearExceptMonitorReleases(m, 1);
  }

  @Test
  void aSynchronizedMethodGetsNoCatchAll() throws IOException {
    MethodNode m = rewritten(MonitorShapes.class, "lockedMethod");
    assertEquals(List.of(), coveredByCatchAll(m));
    assertHandlersClearExceptMonitorReleases(m, 0);
  }

  @Test
  void javacMonitorReleaseHandlersAreLeftAlone() throws IOException {
    MethodNode m = rewritten(Shapes.class, "pinned");
    List<String> covered = new ArrayList<>();
    for (AbstractInsnNode i : coveredByCatchAll(m)) {
      covered.add(((MethodInsnNode) i).name);
    }
    assertEquals(List.of("stressPoint"), covered, "only the stress point, before the monitor");
    assertHandlersClearExceptMonitorReleases(m, 1);
  }
}
