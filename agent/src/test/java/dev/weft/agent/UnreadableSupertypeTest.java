package dev.weft.agent;

import static dev.weft.agent.GeneratedClass.aClass;
import static dev.weft.agent.GeneratedClass.anInterface;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.agent.core.FrameContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * A loader that serves no resources: the agent cannot read the supertypes of the classes it
 * defines, so it cannot know which of their methods override a suspendable one.
 */
class UnreadableSupertypeTest {
  private final WeftTransformer transformer = new WeftTransformer(null, true, true);
  private final GeneratedLoader loader =
      new GeneratedLoader(transformer, false)
          .add(anInterface("blind/Api").abstractMethod("run", "()V", true))
          .add(aClass("blind/Impl", "java/lang/Object", "blind/Api").method("run", "()V", false))
          .add(
              aClass("blind/Mixed", "java/lang/Object", "blind/Api")
                  .method("run", "()V", false)
                  .method("work", "()V", true));

  static boolean disarmed(byte[] bytes, String method) {
    ClassNode cn = new ClassNode();
    new ClassReader(bytes).accept(cn, 0);
    for (MethodNode m : cn.methods) {
      if ((m.name + m.desc).equals(method)) {
        AbstractInsnNode first = m.instructions.getFirst();
        while (first.getOpcode() < 0) {
          first = first.getNext();
        }
        return first instanceof MethodInsnNode
            && ((MethodInsnNode) first).owner.equals(FrameContract.FRAME_STACK)
            && ((MethodInsnNode) first).name.equals("disarm");
      }
    }
    throw new AssertionError(method + " not found");
  }

  private byte[] transform(String name) {
    return transformer.transform(loader, name, null, null, loader.bytes(name));
  }

  @Test
  @Timeout(30)
  void anOverrideOfAnUnreadableSupertypeIsDisarmedWithOneWarning() {
    byte[][] out = new byte[1][];
    String err = CapturedErr.of(() -> out[0] = transform("blind/Impl"));
    assertNotNull(out[0], "Impl.run may override a suspendable Api.run: it must not load untouched");
    ClassFiles.assertValid(out[0]);
    assertTrue(disarmed(out[0], "run()V"));
    assertFalse(disarmed(out[0], "<init>()V"));
    assertTrue(err.contains("blind.Api") && err.contains("blind.Impl"), err);
    assertEquals(1, err.lines().filter(l -> l.contains("warning")).count(), err);
  }

  @Test
  @Timeout(30)
  void aRewrittenClassDisarmsItsOtherOverridesOfAnUnreadableSupertype() {
    byte[] out = transform("blind/Mixed");
    assertNotNull(out);
    ClassFiles.assertValid(out);
    assertTrue(ClassFiles.instrumented(out).get("work()V"));
    assertTrue(disarmed(out, "run()V"));
  }
}
