package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Suspendable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Method references whose lambda proxy consumes several arguments: it unboxes them, casts them, or
 * calls the target on the first one. A resumed interface call re-invokes the proxy before the
 * target's prologue sees the rewind, so every reference argument must be the real one again.
 */
@Timeout(60)
class MethodReferenceArgumentsShapeTest extends ShapeTest {

  /** Boxed arguments, for targets that take primitives. */
  interface Fn2 {
    @Suspendable
    int apply(Integer a, Integer b);
  }

  /** Three arguments, for unbound references whose first one is the receiver. */
  interface Fn3<T> {
    @Suspendable
    long apply(T self, Long a, Integer b);
  }

  /** Mixed primitive and boxed arguments. */
  interface Mixed {
    @Suspendable
    double apply(int a, Double b, long c, Integer d);
  }

  @Suspendable
  static int add(int a, int b) {
    return Pause.i(a) + b;
  }

  static final class Acc {
    final long base;

    Acc(long base) {
      this.base = base;
    }

    @Suspendable
    long sum(long a, int b) {
      return base + Pause.j(a) + b;
    }

    @Suspendable
    int plus(int a, int b) {
      Pause.here();
      return (int) base + a + b;
    }
  }

  @Suspendable
  static double mix(int a, double b, long c, int d) {
    Pause.here();
    return a + b + c + d;
  }

  @Test
  void aStaticReferenceUnboxingEveryArgument() {
    assertEquals(42, (int) Fibers.call(() -> {
      Fn2 f = MethodReferenceArgumentsShapeTest::add;
      return f.apply(20, 22);
    }));
  }

  @Test
  void aBoundReferenceUnboxingEveryArgument() {
    assertEquals(142, (int) Fibers.call(() -> {
      Fn2 f = new Acc(100)::plus;
      return f.apply(20, 22);
    }));
  }

  @Test
  void anUnboundReferenceWithBoxedArgumentsAfterTheReceiver() {
    assertEquals(1042L, (long) Fibers.call(() -> {
      Fn3<Acc> f = Acc::sum;
      return f.apply(new Acc(1000), 40L, 2);
    }));
  }

  @Test
  void primitiveAndBoxedArgumentsMixed() {
    assertEquals(10.5, (double) Fibers.call(() -> {
      Mixed f = MethodReferenceArgumentsShapeTest::mix;
      return f.apply(1, 2.5, 3L, 4);
    }));
  }
}
