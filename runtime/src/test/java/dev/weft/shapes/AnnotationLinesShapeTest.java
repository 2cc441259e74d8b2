package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.frame.UninstrumentedFrameError;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;

/**
 * SPEC section 4's {@code @annotation} lines: this module's {@code META-INF/weft/suspendables}
 * names {@code @Handler}, so every method annotated with it, directly or through a meta-annotation
 * at any depth, is suspendable without a {@code @Suspendable} of its own; an annotation the list
 * does not reach makes nothing suspendable.
 */
class AnnotationLinesShapeTest extends ShapeTest {
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
  @interface Handler {}

  /** Meta-annotated with the listed annotation. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
  @Handler
  @interface Composed {}

  /** Two levels down. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @Composed
  @interface ComposedTwice {}

  /** Not reached by the list. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @interface Unrelated {}

  static final class Endpoints {
    @Handler
    long direct(int a, long b) {
      double kept = a * 0.5;
      Pause.here();
      return (long) (kept * 2) + b;
    }

    @Composed
    String composed(String s) {
      Pause.sleep();
      return s + "!";
    }

    @ComposedTwice
    static int[] twice(int n) {
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        out[i] = Pause.i(i * i);
      }
      return out;
    }

    @Unrelated
    int unrelated(int x) {
      Pause.here();
      return x;
    }
  }

  /** Overrides a listed-annotation method without repeating the annotation. */
  static final class Override extends Base {
    @java.lang.Override
    int step(int x) {
      return Pause.i(x) * 10;
    }
  }

  abstract static class Base {
    @Handler
    abstract int step(int x);
  }

  @Test
  void aMethodAnnotatedWithAListedAnnotationSuspendsAndKeepsItsValues() {
    Fibers.run(() -> assertEquals(7L + (1L << 40), new Endpoints().direct(7, 1L << 40)));
  }

  @Test
  void throughAMetaAnnotationAtAnyDepth() {
    Fibers.run(
        () -> {
          assertEquals("go!", new Endpoints().composed("go"));
          assertEquals(16, Endpoints.twice(5)[4]);
        });
  }

  @Test
  void overridesInheritTheMark() {
    Fibers.run(() -> assertEquals(30, callStep(new Override(), 3)));
  }

  @Suspendable
  private static int callStep(Base b, int x) {
    return b.step(x);
  }

  @Test
  void anAnnotationTheListDoesNotReachMarksNothing() {
    UninstrumentedFrameError e =
        assertThrows(
            UninstrumentedFrameError.class, () -> Fibers.run(() -> new Endpoints().unrelated(1)));
    assertTrue(e.getMessage().contains("unrelated"), e.getMessage());
  }
}
