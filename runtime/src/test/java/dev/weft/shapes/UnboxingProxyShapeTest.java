package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.frame.UninstrumentedFrameError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A method reference whose target returns a box ({@code Integer}) where the interface returns the
 * primitive ({@code int}): the lambda proxy is not a pure pass-through, it unboxes the target's
 * result. An unwinding target returns a dummy null, which the proxy would unbox into a
 * NullPointerException before any instrumented frame could save itself (commons-lang3's {@code
 * Failable.getAsInt(testable::testAsInteger)} in stress mode). The suspension must either work or
 * fail with the error naming the frame that cannot unwind; never with that exception.
 */
@Timeout(60)
class UnboxingProxyShapeTest extends ShapeTest {
  @FunctionalInterface
  interface SuspendableIntSupplier {
    @Suspendable
    int getAsInt();
  }

  @Suspendable
  static Integer boxedAfterAPause() {
    Pause.here();
    return 7;
  }

  @Suspendable
  static int callInt(SuspendableIntSupplier s) {
    int local = 35;
    return s.getAsInt() + local;
  }

  @Test
  void aSuspensionBelowAnUnboxingProxyWorksOrFailsSayingWhy() {
    SuspendableIntSupplier s = UnboxingProxyShapeTest::boxedAfterAPause;
    try {
      assertEquals(42, Fibers.call(() -> callInt(s)));
    } catch (UninstrumentedFrameError e) {
      assertTrue(
          e.getMessage().startsWith("dev.weft.shapes.UnboxingProxyShapeTest.callInt(")
              && e.getMessage().contains("UnboxingProxyShapeTest.boxedAfterAPause()")
              && e.getMessage().contains("method reference that unboxes its result"),
          () -> "the message should name the caller, the target and the unboxing: "
              + e.getMessage());
    }
  }

  @Test
  void aLambdaThatUnboxesInItsBodySuspends() {
    SuspendableIntSupplier s = () -> boxedAfterAPause();
    assertEquals(42, Fibers.call(() -> callInt(s)));
  }
}
