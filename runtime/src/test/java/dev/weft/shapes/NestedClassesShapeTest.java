package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Suspendable;
import dev.weft.SuspendableCallable;
import dev.weft.SuspendableRunnable;
import org.junit.jupiter.api.Test;

/**
 * Nested, inner, anonymous and local classes: an inner class calling its outer class's private
 * suspendable method (a nestmate call; older compilers went through a synthetic {@code access$}
 * method, see the class-file version test), captured variables held in synthetic fields, enum
 * constants with bodies (anonymous subclasses).
 */
class NestedClassesShapeTest extends ShapeTest {
  private int outerState = 10;

  @Suspendable
  private int outerPrivate(int x) {
    Pause.here();
    return x + outerState;
  }

  @Suspendable
  private static String outerPrivateStatic(String s) {
    return Pause.ref(s) + "#";
  }

  /** A static nested class with its own suspendable methods. */
  static final class Nested {
    private final long seed;

    Nested(long seed) {
      this.seed = seed;
    }

    @Suspendable
    long next() {
      long v = Pause.j(seed) * 31;
      return v + outerPrivateStatic("n").length();
    }
  }

  /** An inner class reaching into its outer instance. */
  class Inner {
    private final int mine;

    Inner(int mine) {
      this.mine = mine;
    }

    @Suspendable
    int combine() {
      int a = outerPrivate(mine); // private method of the outer class
      outerState += Pause.i(1); // private field of the outer class, written across a suspension
      return a + innerPrivate();
    }

    @Suspendable
    private int innerPrivate() {
      return Pause.i(mine * 100);
    }
  }

  @Test
  void staticNestedClass() {
    Fibers.run(() -> assertEquals(5 * 31 + 2, new Nested(5).next()));
  }

  @Test
  void innerClassCallsOuterPrivateMethodsAndOuterCallsInnerPrivate() {
    Fibers.run(
        () -> {
          Inner inner = new Inner(3);
          assertEquals(3 + 10 + 300, inner.combine());
          assertEquals(11, outerState);
          assertEquals(400, inner.innerPrivate() + 100); // outer calling the inner's private
          assertEquals(3 + 11 + 300, this.new Inner(3).combine());
        });
  }

  @Test
  void anonymousClassesCapturingLocals() {
    Fibers.run(
        () -> {
          long captured = 1L << 50;
          String text = "anon";
          SuspendableCallable<String> anon =
              new SuspendableCallable<>() {
                private int calls;

                @Override
                public String call() {
                  calls++;
                  Pause.here();
                  return text + (captured + Pause.i(calls)) + outerPrivateStatic("");
                }
              };
          assertEquals("anon" + ((1L << 50) + 1) + "#", anon.call());
          assertEquals("anon" + ((1L << 50) + 2) + "#", anon.call());
          SuspendableRunnable nested =
              new SuspendableRunnable() {
                @Override
                public void run() throws Exception {
                  SuspendableCallable<Integer> inner =
                      new SuspendableCallable<>() {
                        @Override
                        public Integer call() {
                          return outerPrivate(Pause.i(1)); // two levels out
                        }
                      };
                  assertEquals(Integer.valueOf(1 + outerState), inner.call());
                }
              };
          nested.run();
        });
  }

  @Test
  void localClassesCapturingLocalsAndThis() {
    Fibers.run(
        () -> {
          double factor = 1.5;
          char mark = '*';
          class Scaler {
            private final int base;

            Scaler(int base) {
              this.base = base;
            }

            @Suspendable
            String scale(int x) {
              double r = Pause.d(x * factor) + base;
              return mark + String.valueOf(r) + outerPrivate(0);
            }
          }
          Scaler s = new Scaler(Pause.i(1));
          assertEquals("*4.010", s.scale(2));
          assertEquals("*1.010", new Scaler(1).scale(0));
        });
  }

  enum Op {
    ADD {
      @Override
      long apply(long a, long b) {
        return Pause.j(a) + b;
      }
    },
    NEG {
      @Override
      long apply(long a, long b) {
        Pause.here();
        return -a;
      }
    };

    @Suspendable
    abstract long apply(long a, long b);

    @Suspendable
    long twice(long a, long b) {
      return apply(apply(a, b), b);
    }
  }

  @Test
  void enumConstantsWithBodies() {
    Fibers.run(
        () -> {
          assertEquals(3L, Op.ADD.apply(1, 2));
          assertEquals(5L, Op.ADD.twice(1, 2));
          assertEquals(-4L, Op.NEG.apply(4, 0));
          assertEquals(4L, Op.NEG.twice(4, 0));
        });
  }

  @Test
  void lambdaInsideAnInnerClassInsideALambda() {
    Fibers.run(
        () -> {
          int depth = 1;
          Inner inner =
              new Inner(depth) {
                @Override
                int combine() {
                  SuspendableCallable<Integer> c = () -> Pause.i(depth) + super.combine();
                  try {
                    return c.call();
                  } catch (Exception e) {
                    throw new AssertionError(e);
                  }
                }
              };
          assertEquals(1 + (1 + 10) + 100, inner.combine());
        });
  }
}
