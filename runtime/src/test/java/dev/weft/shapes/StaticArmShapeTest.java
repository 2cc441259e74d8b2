package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.weft.Suspendable;
import dev.weft.frame.FrameStack;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A static call's arm names its class without storing a reference into the fiber (see {@code
 * FrameStack.armStatic}): the fiber is a long-lived object, and every reference stored into it
 * from another heap region costs G1 a card to refine. That the callee still refuses an arm meant
 * for another class is {@link ClassInitialisationShapeTest}'s and {@link StaleArmShapeTest}'s.
 */
@Timeout(60)
class StaticArmShapeTest extends ShapeTest {
  static final AtomicReference<Object> seen = new AtomicReference<>();

  static final class Callee {
    /** Records what the fiber's {@code armedFor} holds once its prologue took the arm. */
    @Suspendable
    static int observe(int v) {
      seen.set(FrameStack.current().armedFor);
      Pause.here();
      return v + 1;
    }
  }

  @Test
  void aStaticArmStoresNoReferenceIntoTheFiber() {
    seen.set("unset");
    int r = Fibers.call(() -> Callee.observe(41));
    assertEquals(42, r);
    assertNull(seen.get(), "a static call's arm left its class in the fiber's armedFor");
  }
}
