package dev.weft.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.agent.hierarchy.ClassHierarchy;
import dev.weft.agent.hierarchy.SuspendablesList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * FrameStack's suspension points are static methods: calls to them are suspendable call sites, but
 * no subclass can override them, so a subclass of FrameStack (the runtime's fiber) that declares
 * nothing suspendable is turned away by the cheap scan instead of being parsed by the rewriter at
 * every start.
 */
class FrameStackSubclassTest {
  private static final String FRAME_STACK = "dev/weft/frame/FrameStack";

  private static GeneratedClass frameStack() {
    return GeneratedClass.aClass(FRAME_STACK, "java/lang/Object")
        .staticMethod("suspend", "()V")
        .staticMethod("prepareSuspend", "()Z")
        .staticMethod("preempted", "()V")
        .staticMethod("stressPoint", "()V");
  }

  @Test
  @Timeout(30)
  void theSuspensionPointsAreCallSitesButGiveSubclassesNothingToOverride() {
    WeftTransformer transformer = new WeftTransformer(null, true, false);
    GeneratedLoader loader =
        new GeneratedLoader(transformer, true)
            .add(frameStack())
            .add(GeneratedClass.aClass("example/FiberLike", FRAME_STACK).method("run", "()V", false));
    ClassHierarchy hierarchy = new ClassHierarchy(loader, new SuspendablesList());

    assertTrue(hierarchy.isSuspendable(FRAME_STACK, "suspend", "()V"));
    assertTrue(hierarchy.isSuspendable("example/FiberLike", "suspend", "()V"), "called through it");
    assertFalse(hierarchy.hasSuspendableMethods(FRAME_STACK));
    assertFalse(hierarchy.hasSuspendableMethods("example/FiberLike"));
    assertNull(
        transformer.transform(loader, "example/FiberLike", loader.bytes("example/FiberLike")));
  }
}
