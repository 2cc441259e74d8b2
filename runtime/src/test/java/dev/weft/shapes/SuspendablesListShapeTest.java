package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.frame.UninstrumentedFrameError;
import org.junit.jupiter.api.Test;

/**
 * Methods made suspendable by {@code META-INF/weft/suspendables} (this module's test resources)
 * instead of an annotation: a static method with every overload, one overload by descriptor, an
 * interface method whose implementations (classes and lambdas) must be instrumented, and an
 * abstract class method whose overrides must be.
 */
class SuspendablesListShapeTest extends ShapeTest {

  /** Implements the listed interface method, without any annotation. */
  static final class Tripler implements ListedApi {
    @Override
    public int act(int x) {
      int y = Pause.i(x);
      Pause.here();
      return y * 3;
    }
  }

  /** Overrides the listed abstract method, without any annotation. */
  static final class Suffixer extends ListedBase {
    @Override
    String step(String s) {
      return Pause.ref(s) + ">";
    }
  }

  @Test
  void listedStaticMethodEveryOverload() {
    Fibers.run(
        () -> {
          long kept = 1L << 35;
          assertEquals(6, ListedWork.work(5));
          assertEquals(10L, ListedWork.work(5L));
          assertEquals(1L << 35, kept);
          assertEquals(-3, ListedWork.exact(3));
        });
  }

  @Test
  void anOverloadLeftOutOfTheListIsNotInstrumented() {
    UninstrumentedFrameError e =
        assertThrows(UninstrumentedFrameError.class, () -> Fibers.run(() -> ListedWork.exact(3L)));
    assertTrue(
        e.getMessage().contains("ListedWork.exact(J)J"),
        () -> "the message should name the unlisted overload: " + e.getMessage());
  }

  @Test
  void implementationsOfAListedInterfaceMethod() {
    Fibers.run(
        () -> {
          ListedApi viaInterface = new Tripler();
          assertEquals(21, viaInterface.act(7));
          assertEquals(24, new Tripler().act(8)); // through the implementation's own type
          int offset = 5;
          ListedApi lambda = x -> Pause.i(x) + offset;
          assertEquals(6, lambda.act(1));
          assertEquals(21 + 6, callThroughListedApi(new Tripler(), lambda));
        });
  }

  @Suspendable
  private static int callThroughListedApi(ListedApi a, ListedApi b) {
    int one = Pause.i(1);
    return a.act(7) + b.act(one);
  }

  @Test
  void overridesOfAListedAbstractMethod() {
    Fibers.run(
        () -> {
          ListedBase base = new Suffixer();
          assertEquals("a>", base.step("a"));
          assertEquals("b>>", base.stepTwice("b"));
          assertEquals("c>", new Suffixer().step(Pause.ref("c")));
        });
  }
}
