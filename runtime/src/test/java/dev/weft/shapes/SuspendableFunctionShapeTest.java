package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.weft.Suspendable;
import dev.weft.SuspendableFunction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SuspendableFunction}: lambdas and method references through it suspend (each test's
 * {@link Pause} proves the fiber really unwound), and arguments, captures and results survive.
 */
class SuspendableFunctionShapeTest extends ShapeTest {
  private final String prefix = "item ";

  /** The shape acceptance programs use: library code of the user's that takes a function. */
  @Suspendable
  static <T, R> List<R> mapAll(List<T> in, SuspendableFunction<T, R> f) throws Exception {
    List<R> out = new ArrayList<>();
    for (T t : in) {
      out.add(f.apply(t));
    }
    return out;
  }

  @Suspendable
  static Integer twice(Integer x) {
    return Pause.receive(x) * 2; // the value travels through a channel from another fiber
  }

  @Suspendable
  private String label(Integer x) {
    Pause.sleep();
    return prefix + x;
  }

  /** A value whose suspendable getter a method reference calls unbound. */
  static final class Box {
    final long value;

    Box(long value) {
      this.value = value;
    }

    @Suspendable
    long get() {
      return Pause.j(value);
    }
  }

  @Test
  void aLambdaSuspendsWithItsCapturesAndArgument() {
    List<String> out =
        Fibers.call(
            () -> {
              long base = 1L << 40;
              double scale = 0.5;
              String tag = "#";
              SuspendableFunction<Integer, String> f =
                  x -> {
                    Pause.here();
                    long v = base + Pause.i(x);
                    Pause.sleep();
                    return tag + (v * scale) + Pause.ref("/" + x);
                  };
              return mapAll(List.of(1, 2, 3), f);
            });
    long base = 1L << 40;
    assertEquals(
        List.of(
            "#" + (base + 1) * 0.5 + "/1",
            "#" + (base + 2) * 0.5 + "/2",
            "#" + (base + 3) * 0.5 + "/3"),
        out);
  }

  @Test
  void aStaticMethodReferenceSuspends() {
    assertEquals(
        List.of(2, 4, 6), Fibers.call(() -> mapAll(List.of(1, 2, 3), SuspendableFunctionShapeTest::twice)));
  }

  @Test
  void aBoundMethodReferenceSuspends() {
    assertEquals(List.of("item 7", "item 8"), Fibers.call(() -> mapAll(List.of(7, 8), this::label)));
  }

  @Test
  void anUnboundMethodReferenceSuspends() {
    assertEquals(
        List.of(Long.MAX_VALUE, -1L),
        Fibers.call(() -> mapAll(List.of(new Box(Long.MAX_VALUE), new Box(-1L)), Box::get)));
  }

  @Test
  void aReferenceToAPlainMethodRunsThroughIt() {
    assertEquals(
        List.of(3, 0),
        Fibers.call(
            () -> {
              List<Integer> lengths = mapAll(List.of("abc", ""), String::length);
              Pause.here();
              return lengths;
            }));
  }

  @Test
  void curriedFunctionsSuspendAtEveryLevel() {
    int sum =
        Fibers.call(
            () -> {
              SuspendableFunction<Integer, SuspendableFunction<Integer, Integer>> add =
                  a -> {
                    int left = Pause.i(a);
                    return b -> left + Pause.i(b) + twice(1);
                  };
              SuspendableFunction<Integer, Integer> addTen = add.apply(10);
              return addTen.apply(5) + addTen.apply(Pause.i(100));
            });
    assertEquals((10 + 5 + 2) + (10 + 100 + 2), sum);
  }

  @Test
  void aCheckedExceptionThrownAfterASuspensionArrivesUnchanged() {
    IOException boom = new IOException("after a suspension");
    Throwable thrown =
        Fibers.call(
            () -> {
              SuspendableFunction<String, String> f =
                  s -> {
                    Pause.send();
                    throw boom;
                  };
              try {
                return new AssertionError("returned " + f.apply("x"));
              } catch (IOException e) {
                return e;
              }
            });
    assertSame(boom, thrown);
  }
}
