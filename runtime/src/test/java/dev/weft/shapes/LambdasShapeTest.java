package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.SuspendableCallable;
import dev.weft.SuspendableRunnable;
import dev.weft.Weft;
import java.io.Serializable;
import org.junit.jupiter.api.Test;

/**
 * Lambda bodies whose functional interface method is suspendable: capturing effectively-final
 * locals of every type, capturing {@code this}, taking parameters of every type, nested in each
 * other, serializable, and started as fibers of their own.
 */
class LambdasShapeTest extends ShapeTest {
  private final String prefix = "this:";
  private int calls;

  /** A suspendable function over every type, to give a lambda parameters of each. */
  @FunctionalInterface
  interface Mixed {
    @Suspendable
    String apply(boolean z, byte b, char c, short s, int i, float f, long j, double d, Object o);
  }

  /** A suspendable function on two-slot values. */
  @FunctionalInterface
  interface LongDoubleOp {
    @Suspendable
    double apply(long a, double b);
  }

  @Suspendable
  private String describe(Object o) {
    calls++;
    return Pause.ref(prefix) + o;
  }

  @Test
  void capturesOfEveryPrimitiveType() {
    Fibers.run(
        () -> {
          boolean z = true;
          byte b = Byte.MIN_VALUE;
          char c = '\u00e9';
          short s = Short.MAX_VALUE;
          int i = -123_456;
          float f = -0.0f;
          long j = Long.MIN_VALUE + 1;
          double d = Double.longBitsToDouble(0x7ff8_0000_0000_0042L);
          String str = "str";
          int[] arr = {1, 2};
          SuspendableCallable<String> lambda =
              () -> {
                Pause.here();
                String first = z + "," + b + "," + c + "," + s + "," + i;
                Pause.sleep();
                String second = Float.floatToRawIntBits(f) + "," + j + "," + Double.doubleToRawLongBits(d);
                Pause.receive(first);
                return first + "|" + second + "|" + str + arr[Pause.i(1)];
              };
          String expected =
              "true,-128,\u00e9,32767,-123456|"
                  + Float.floatToRawIntBits(-0.0f)
                  + ","
                  + (Long.MIN_VALUE + 1)
                  + ","
                  + 0x7ff8_0000_0000_0042L
                  + "|str2";
          assertEquals(expected, lambda.call());
          assertEquals(expected, lambda.call()); // the captures are not consumed
        });
  }

  @Test
  void manyCapturesOfEveryType() {
    Fibers.run(
        () -> {
          boolean z1 = true, z2 = false;
          byte b1 = 1, b2 = -2;
          char c1 = 'a', c2 = 'Z';
          short s1 = 300, s2 = -300;
          int i1 = 1 << 20, i2 = -1;
          float f1 = 1.5f, f2 = Float.MAX_VALUE;
          long l1 = 1L << 40, l2 = -(1L << 41);
          double d1 = 0.1, d2 = Double.MIN_VALUE;
          Object o1 = null, o2 = "o2";
          SuspendableRunnable check =
              () -> {
                for (int round = 0; round < 3; round++) {
                  Pause.here();
                  assertEquals(true, z1);
                  assertEquals(false, z2);
                  assertEquals(1, b1);
                  assertEquals(-2, b2);
                  assertEquals('a', c1);
                  assertEquals('Z', c2);
                  assertEquals(300, s1);
                  assertEquals(-300, s2);
                  assertEquals(1 << 20, i1);
                  assertEquals(-1, i2);
                  assertEquals(1.5f, f1);
                  assertEquals(Float.MAX_VALUE, f2);
                  assertEquals(1L << 40, l1);
                  assertEquals(-(1L << 41), l2);
                  assertEquals(0.1, d1);
                  assertEquals(Double.MIN_VALUE, d2);
                  assertEquals(null, o1);
                  assertEquals("o2", o2);
                }
              };
          check.run();
        });
  }

  @Test
  void capturingThis() {
    Fibers.run(
        () -> {
          SuspendableCallable<String> viaThis = () -> describe(Pause.i(calls + 41));
          assertEquals("this:41", viaThis.call());
          assertEquals("this:42", viaThis.call());
          assertEquals(2, calls);
        });
  }

  @Test
  void parametersOfEveryType() {
    Fibers.run(
        () -> {
          String sep = "/";
          Mixed mixed =
              (z, b, c, s, i, f, j, d, o) -> {
                Pause.here();
                String r = z + sep + b + sep + c + sep + s + sep + i;
                Pause.here();
                return r + sep + f + sep + Pause.j(j) + sep + d + sep + o;
              };
          assertEquals(
              "false/127/q/-1/7/2.5/" + Long.MAX_VALUE + "/-0.0/null",
              mixed.apply(false, (byte) 127, 'q', (short) -1, 7, 2.5f, Long.MAX_VALUE, -0.0, null));
          LongDoubleOp op = (a, b) -> Pause.j(a) * Pause.d(b);
          assertEquals(-7.5, op.apply(-3, 2.5));
        });
  }

  @Test
  void nestedLambdasCapturingEachOthersLocals() {
    Fibers.run(
        () -> {
          long outer = 1000;
          SuspendableCallable<SuspendableCallable<Long>> maker =
              () -> {
                long middle = Pause.j(200);
                return () -> {
                  long inner = Pause.j(30);
                  return outer + middle + inner + Pause.i(4);
                };
              };
          SuspendableCallable<Long> made = maker.call();
          Pause.here();
          assertEquals(Long.valueOf(1234), made.call());
        });
  }

  @Test
  void serializableLambda() {
    Fibers.run(
        () -> {
          int captured = 9;
          SuspendableCallable<Integer> c =
              (SuspendableCallable<Integer> & Serializable) () -> Pause.i(captured) * 2;
          assertEquals(Integer.valueOf(18), c.call());
        });
  }

  @Test
  void lambdasStartedAsFibersOfTheirOwn() {
    Fibers.run(
        () -> {
          Channel<Long> results = Channel.make();
          long base = 1L << 33;
          for (int k = 0; k < 4; k++) {
            int id = k;
            Weft.go(
                () -> {
                  Pause.here();
                  results.send(base + Pause.i(id));
                });
          }
          long sum = 0;
          for (int k = 0; k < 4; k++) {
            sum += results.receive();
          }
          assertEquals(4 * (1L << 33) + 0 + 1 + 2 + 3, sum);
        });
  }

  @Test
  void lambdaHeldInAFieldAndCalledLater() {
    Holder h = new Holder();
    h.task = () -> Pause.ref(h.prefix) + Pause.i(h.prefix.length());
    assertEquals("held4", Fibers.call(() -> h.task.call()));
  }

  /** Holds a lambda in a field. */
  static final class Holder {
    final String prefix = "held";
    SuspendableCallable<String> task;
  }
}
