package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.weft.Suspendable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Suspending calls among a constructor's arguments. javac emits {@code new Foo; dup;} before it
 * evaluates the arguments, so one or more uninitialised objects are on the operand stack while the
 * fiber is suspended: they cannot be saved as they are, and must come back as the same kind of
 * object, constructed exactly once.
 */
class ConstructorArgumentsShapeTest extends ShapeTest {
  /** Counts constructions, to catch an object built twice or not at all. */
  private static final List<String> BUILT = new ArrayList<>();

  static final class Foo {
    final int a;
    final Object b;
    final Object c;

    Foo(Object b) {
      this(0, b, null);
    }

    Foo(int a, Object b, Object c) {
      this.a = a;
      this.b = b;
      this.c = c;
      BUILT.add("Foo(" + a + "," + b + "," + c + ")");
    }

    @Suspendable
    String describe(String suffix) {
      return Pause.ref(a + ":" + b + ":" + c) + suffix;
    }

    @Override
    public String toString() {
      return "Foo" + a;
    }
  }

  static final class Bar {
    final long v;

    Bar(long v) {
      this.v = v;
      BUILT.add("Bar(" + v + ")");
    }

    @Override
    public String toString() {
      return "Bar" + v;
    }
  }

  static final class Wide {
    final long l;
    final double d;
    final int i;

    Wide(long l, double d, int i) {
      this.l = l;
      this.d = d;
      this.i = i;
    }
  }

  abstract static class Named {
    final String name;

    Named(String name) {
      this.name = name;
    }

    @Suspendable
    abstract String shout();
  }

  @Test
  void oneUninitialisedObjectUnderTheCall() {
    BUILT.clear();
    Fibers.run(
        () -> {
          Foo foo = new Foo(Pause.ref("x"));
          assertEquals("x", foo.b);
          Foo viaReceive = new Foo(Pause.receive("r"));
          assertEquals("r", viaReceive.b);
        });
    assertEquals(List.of("Foo(0,x,null)", "Foo(0,r,null)"), BUILT);
  }

  @Test
  void nestedUninitialisedObjectsWithArgumentsBeforeAndAfter() {
    BUILT.clear();
    Fibers.run(
        () -> {
          int a = 7;
          Foo foo = new Foo(a, Pause.ref("mid"), new Bar(Pause.j(Long.MIN_VALUE)));
          assertEquals(7, foo.a);
          assertEquals("mid", foo.b);
          assertEquals(Long.MIN_VALUE, ((Bar) foo.c).v);
          Foo deeper =
              new Foo(Pause.i(1), new Foo(Pause.i(2), new Bar(Pause.j(3)), null), Pause.ref("z"));
          assertEquals("1:Foo2:z", deeper.a + ":" + deeper.b + ":" + deeper.c);
        });
    assertEquals(
        List.of(
            "Bar(" + Long.MIN_VALUE + ")",
            "Foo(7,mid,Bar" + Long.MIN_VALUE + ")",
            "Bar(3)",
            "Foo(2,Bar3,null)",
            "Foo(1,Foo2,z)"),
        BUILT);
  }

  @Test
  void wideArgumentsAroundTheCall() {
    Fibers.run(
        () -> {
          Wide w = new Wide(Long.MAX_VALUE, Pause.d(-0.0), Pause.i(3));
          assertEquals(Long.MAX_VALUE, w.l);
          assertEquals(-0.0, w.d);
          assertEquals(3, w.i);
          Wide v = new Wide(Pause.j(1), 2.5, Pause.i(Integer.MIN_VALUE));
          assertEquals(1L, v.l);
          assertEquals(2.5, v.d);
          assertEquals(Integer.MIN_VALUE, v.i);
        });
  }

  @Test
  void methodCalledOnTheNewObjectWithSuspendingArguments() {
    Fibers.run(
        () -> {
          assertEquals("4:b:null?", new Foo(Pause.i(4), Pause.ref("b"), null).describe("?"));
          assertEquals(
              "s-t",
              new StringBuilder(Pause.ref("s")).append('-').append(Pause.ref("t")).toString());
        });
  }

  @Test
  void conditionalArgumentWithCallsInBothArms() {
    Fibers.run(
        () -> {
          for (int k = 0; k < 2; k++) {
            // The uninitialised Foo is on the stack across a branch and its merge.
            Foo foo = new Foo(k == 0 ? Pause.ref("left") : new Bar(Pause.j(k)));
            assertEquals(k == 0 ? "left" : "Bar1", String.valueOf(foo.b));
          }
        });
  }

  @Test
  void anonymousSubclassWithSuspendingConstructorArgument() {
    Fibers.run(
        () -> {
          String suffix = "!";
          Named n =
              new Named(Pause.ref("anon")) {
                @Override
                String shout() {
                  return Pause.ref(name.toUpperCase()) + suffix;
                }
              };
          assertEquals("ANON!", n.shout());
        });
  }

  @Test
  void exceptionsAndStringsBuiltFromSuspendingCalls() {
    Fibers.run(
        () -> {
          try {
            throw new IllegalStateException("code " + Pause.i(42));
          } catch (IllegalStateException e) {
            assertEquals("code 42", e.getMessage());
          }
          String s = new String(new char[] {Pause.c('o'), Pause.c('k')});
          assertEquals("ok", s);
          Integer boxed = Integer.valueOf(Pause.i(5));
          assertEquals(5, boxed);
          Object[] arr = new Object[] {new Foo(Pause.ref("in-array"))};
          assertEquals("in-array", ((Foo) arr[0]).b);
        });
  }

  @Test
  void argumentThrowingAfterResumeLeavesNoHalfBuiltObject() {
    BUILT.clear();
    Fibers.run(
        () -> {
          Foo foo = null;
          try {
            foo = new Foo(1, Pause.ref("a"), failing());
          } catch (IllegalArgumentException e) {
            assertEquals("argument failed", e.getMessage());
          }
          assertNull(foo);
          Pause.here();
        });
    assertEquals(List.of(), BUILT);
  }

  @Suspendable
  private static Object failing() {
    Pause.here();
    throw new IllegalArgumentException("argument failed");
  }
}
