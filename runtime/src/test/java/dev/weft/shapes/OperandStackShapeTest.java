package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import org.junit.jupiter.api.Test;

/**
 * Values on the operand stack under a suspending call: javac evaluates left to right, so whatever
 * was computed before the call is on the stack while the fiber is suspended and must come back.
 */
class OperandStackShapeTest extends ShapeTest {
  private int field = 100;
  private long longField = 1L << 40;
  private static int staticField = 7;

  @Suspendable
  private static int g(int a, int b) {
    Pause.here();
    return a * 10 + b;
  }

  @Suspendable
  private static long h(int a, long b, double c, String d, char e, boolean f, int last) {
    Pause.here();
    return a + b + (long) c + d.length() + e + (f ? 1 : 0) + last;
  }

  @Test
  void intUnderTheCall() {
    Fibers.run(
        () -> {
          int a = 40;
          assertEquals(42, a + Pause.i(2));
          assertEquals(-38, Pause.i(2) - a);
          assertEquals(4 * 5 + 6, 4 * Pause.i(5) + Pause.i(6));
          assertEquals(1 + 2 + 3 + 4, 1 + (2 + (3 + Pause.i(4))));
        });
  }

  @Test
  void argumentsEvaluatedBeforeTheCall() {
    Fibers.run(
        () -> {
          int x = 3;
          assertEquals(34, g(x, Pause.i(4)));
          assertEquals(g(1, 2) * 100 + g(3, 4), g(g(1, 2), 0) * 10 + g(3, Pause.i(4)));
          assertEquals(
              1 + 2L + 3 + 4 + 'A' + 1 + 9,
              h(1, 2L, 3.0, "four", 'A', true, Pause.i(9)));
          assertEquals(
              Long.MAX_VALUE,
              h(Pause.i(0), Long.MAX_VALUE - 77, Pause.d(1.9), Pause.ref("x"), Pause.c('\0'),
                  Pause.z(false), 75));
        });
  }

  @Test
  void arrayStoreWithArrayAndIndexUnderTheCall() {
    Fibers.run(
        () -> {
          int[] ints = new int[3];
          long[] longs = new long[2];
          double[] doubles = new double[2];
          String[] strings = new String[2];
          byte[] bytes = new byte[1];
          char[] chars = new char[1];
          boolean[] booleans = new boolean[1];
          int i = 1;
          ints[i] = Pause.i(5);
          ints[i + 1] = ints[i] + Pause.i(6);
          longs[Pause.i(1)] = Pause.j(Long.MIN_VALUE);
          doubles[i] = Pause.d(-0.0);
          strings[0] = Pause.ref("s");
          bytes[0] = Pause.b((byte) -1);
          chars[0] = Pause.c('c');
          booleans[0] = Pause.z(true);
          assertArrayEquals(new int[] {0, 5, 11}, ints);
          assertArrayEquals(new long[] {0, Long.MIN_VALUE}, longs);
          assertArrayEquals(new double[] {0, -0.0}, doubles);
          assertArrayEquals(new String[] {"s", null}, strings);
          assertEquals(-1, bytes[0]);
          assertEquals('c', chars[0]);
          assertTrue(booleans[0]);
        });
  }

  @Test
  void compoundAssignmentsDuplicateTheirOperands() {
    Fibers.run(this::compoundAssignments);
  }

  @Suspendable
  private void compoundAssignments() {
    int[] ints = {10, 20};
    long[] longs = {1L << 33};
    double[] doubles = {0.5};
    int i = 0;
    ints[i] += Pause.i(5); // dup2 of array and index, then the element, under the call
    ints[Pause.i(1)] -= Pause.i(1);
    longs[0] += Pause.j(1); // a long under the call, above array and index
    doubles[0] *= Pause.d(4);
    field += Pause.i(1); // this is duplicated
    longField -= Pause.j(1);
    staticField *= Pause.i(3);
    i += Pause.i(2);
    assertArrayEquals(new int[] {15, 19}, ints);
    assertArrayEquals(new long[] {(1L << 33) + 1}, longs);
    assertArrayEquals(new double[] {2.0}, doubles);
    assertEquals(101, field);
    assertEquals((1L << 40) - 1, longField);
    assertEquals(21, staticField);
    assertEquals(2, i);
    staticField = 7;
  }

  @Test
  void stringConcatenationByInvokeDynamic() {
    Fibers.run(
        () -> {
          String s = "a";
          int n = 1;
          long l = 2;
          double d = 3.5;
          char c = 'c';
          assertEquals("ab", s + Pause.ref("b"));
          assertEquals("a1-2-3.5-c-x-true", s + n + "-" + l + "-" + d + "-" + c + "-"
              + Pause.ref("x") + "-" + Pause.z(true));
          assertEquals("1a2", Pause.i(1) + s + Pause.j(2));
          assertEquals("null!", Pause.ref(null) + "!");
        });
  }

  @Test
  void longsAndDoublesUnderTheCall() {
    Fibers.run(
        () -> {
          long big = Long.MAX_VALUE / 2;
          double third = 1.0 / 3;
          assertEquals(Long.MAX_VALUE / 2 + 5, big + Pause.i(5));
          assertEquals(Long.MAX_VALUE / 2 * 2, big * Pause.j(2));
          assertEquals(1.0 / 3 + 1, third + Pause.d(1));
          assertEquals(
              (1.0 / 3) * 3 + Long.MAX_VALUE / 2 + 1, third * Pause.i(3) + big + Pause.f(1));
          // Two longs and two doubles stacked before the last call.
          assertEquals(
              big + (big + (third + (third + 1))),
              big + (big + (third + (third + Pause.i(1)))));
        });
  }

  @Test
  void conditionalExpressionsWithCallsInBothArms() {
    Fibers.run(
        () -> {
          int base = 100;
          for (int k = 0; k < 4; k++) {
            boolean even = k % 2 == 0;
            int r = base + (even ? Pause.i(k) : g(k, 1));
            assertEquals(even ? 100 + k : 100 + k * 10 + 1, r);
            String s = "<" + (even ? Pause.ref("e") : "o") + ">";
            assertEquals(even ? "<e>" : "<o>", s);
            long l = base + (Pause.z(even) ? Pause.j(1L << 40) : 2L);
            assertEquals(even ? 100 + (1L << 40) : 102L, l);
          }
        });
  }

  @Test
  void shortCircuitAndComparisons() {
    Fibers.run(
        () -> {
          int a = 5;
          assertTrue(a < Pause.i(6) && Pause.z(true));
          assertFalse(Pause.z(false) && Pause.z(true));
          assertTrue(Pause.z(false) || a == Pause.i(5));
          assertTrue(Pause.j(3) > 2L && Pause.d(0.5) < 1.0);
          Object o = Pause.ref("x");
          assertTrue(o instanceof String && ((String) Pause.ref(o)).length() == 1);
          assertTrue(!Pause.z(false));
        });
  }

  @Test
  void receiverAndEarlierArgumentsUnderTheCall() {
    Fibers.run(
        () -> {
          StringBuilder sb = new StringBuilder();
          sb.append(1).append(Pause.ref("a")).append(Pause.i(2)).append(Pause.c('b'));
          assertEquals("1a2b", sb.toString());
          assertEquals("abc".substring(1), "abc".substring(Pause.i(1)));
          assertEquals(Math.max(3L, 4L), Math.max(Pause.j(3), 4L));
          assertEquals("x-y", String.join("-", "x", Pause.ref("y")));
          assertEquals(102, this.field + Pause.i(2));
        });
  }

  @Test
  void arrayInitialisersAndLengthsComputedByCalls() {
    Fibers.run(
        () -> {
          int[] a = {1, Pause.i(2), 3, Pause.i(4)};
          long[] b = new long[Pause.i(3)];
          Object[] c = {Pause.ref("r"), null, new int[] {Pause.i(7)}};
          double[][] d = {{Pause.d(1.5)}, {2.5, Pause.d(3.5)}};
          assertArrayEquals(new int[] {1, 2, 3, 4}, a);
          assertEquals(3, b.length);
          assertEquals("r", c[0]);
          assertArrayEquals(new int[] {7}, (int[]) c[2]);
          assertArrayEquals(new double[][] {{1.5}, {2.5, 3.5}}, d);
        });
  }

  @Test
  void postIncrementAndCastsAroundTheCall() {
    Fibers.run(
        () -> {
          int i = 0;
          int r = g(i++, Pause.i(i++));
          assertEquals(1, r);
          assertEquals(2, i);
          byte narrowed = (byte) (Pause.i(0x1ff) + i);
          assertEquals((byte) 0x201, narrowed);
          double widened = Pause.i(3) / 2.0 + Pause.f(0.25f);
          assertEquals(1.75, widened);
          long mixed = Pause.i(Integer.MAX_VALUE) + 1L;
          assertEquals(Integer.MAX_VALUE + 1L, mixed);
        });
  }

  @Test
  void resultsReturnedStraightFromTheCall() {
    Fibers.run(
        () -> {
          assertEquals(3 + 4, sumOfTwoCalls(3, 4));
          assertEquals(34L, returnsLong(3, 4));
        });
  }

  @Suspendable
  private static int sumOfTwoCalls(int a, int b) {
    return Pause.i(a) + Pause.i(b);
  }

  @Suspendable
  private static long returnsLong(int a, int b) {
    return g(a, b);
  }
}
