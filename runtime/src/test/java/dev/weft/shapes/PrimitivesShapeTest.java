package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import org.junit.jupiter.api.Test;

/**
 * Every primitive type in locals, as arguments and as return values, across suspensions: the
 * narrow types that live in int slots, float and double saved as raw bits (NaN with a payload,
 * -0.0, subnormals, infinities), and long/double taking two slots next to one-slot values.
 */
class PrimitivesShapeTest extends ShapeTest {
  /** A quiet NaN with a payload: only a bit-exact save and restore keeps the payload. */
  private static final float FLOAT_NAN_PAYLOAD = Float.intBitsToFloat(0x7fc0_1234);

  private static final double DOUBLE_NAN_PAYLOAD = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);

  @Test
  void extremeValuesInLocalsSurviveEverySuspension() {
    Fibers.run(PrimitivesShapeTest::extremeLocals);
  }

  @Suspendable
  private static void extremeLocals() {
    boolean yes = true;
    boolean no = false;
    byte bMin = Byte.MIN_VALUE;
    byte bMax = Byte.MAX_VALUE;
    char cMin = Character.MIN_VALUE;
    char cMax = Character.MAX_VALUE;
    char euro = '\u20ac';
    short sMin = Short.MIN_VALUE;
    short sMax = Short.MAX_VALUE;
    int iMin = Integer.MIN_VALUE;
    int iMax = Integer.MAX_VALUE;
    float fNan = Float.NaN;
    float fNanPayload = FLOAT_NAN_PAYLOAD;
    float fNegZero = -0.0f;
    float fTiny = Float.MIN_VALUE;
    float fMax = Float.MAX_VALUE;
    float fNegInf = Float.NEGATIVE_INFINITY;
    long lMin = Long.MIN_VALUE;
    long lMax = Long.MAX_VALUE;
    long lHalves = 0x8000_0001_ffff_0000L;
    double dNan = Double.NaN;
    double dNanPayload = DOUBLE_NAN_PAYLOAD;
    double dNegZero = -0.0;
    double dTiny = Double.MIN_VALUE;
    double dMax = Double.MAX_VALUE;
    double dPosInf = Double.POSITIVE_INFINITY;

    for (int site = 0; site < 3; site++) {
      if (site == 0) {
        Pause.here();
      } else if (site == 1) {
        Pause.sleep();
      } else {
        Pause.receive("third");
      }
      assertTrue(yes);
      assertFalse(no);
      assertEquals(Byte.MIN_VALUE, bMin);
      assertEquals(Byte.MAX_VALUE, bMax);
      assertEquals(Character.MIN_VALUE, cMin);
      assertEquals(Character.MAX_VALUE, cMax);
      assertEquals('\u20ac', euro);
      assertEquals(Short.MIN_VALUE, sMin);
      assertEquals(Short.MAX_VALUE, sMax);
      assertEquals(Integer.MIN_VALUE, iMin);
      assertEquals(Integer.MAX_VALUE, iMax);
      assertTrue(Float.isNaN(fNan));
      assertEquals(0x7fc0_1234, Float.floatToRawIntBits(fNanPayload));
      assertEquals(0x8000_0000, Float.floatToRawIntBits(fNegZero));
      assertEquals(Float.MIN_VALUE, fTiny);
      assertEquals(Float.MAX_VALUE, fMax);
      assertEquals(Float.NEGATIVE_INFINITY, fNegInf);
      assertEquals(Long.MIN_VALUE, lMin);
      assertEquals(Long.MAX_VALUE, lMax);
      assertEquals(0x8000_0001_ffff_0000L, lHalves);
      assertTrue(Double.isNaN(dNan));
      assertEquals(0x7ff8_0000_dead_beefL, Double.doubleToRawLongBits(dNanPayload));
      assertEquals(0x8000_0000_0000_0000L, Double.doubleToRawLongBits(dNegZero));
      assertEquals(Double.MIN_VALUE, dTiny);
      assertEquals(Double.MAX_VALUE, dMax);
      assertEquals(Double.POSITIVE_INFINITY, dPosInf);
      // Arithmetic on the restored values, so a wrong slot width would show.
      assertEquals(Long.MIN_VALUE, lMax + 1);
      assertEquals(Integer.MIN_VALUE, iMax + 1);
      assertEquals(Double.NEGATIVE_INFINITY, 1 / dNegZero);
      assertEquals(Float.NEGATIVE_INFINITY, 1 / fNegZero);
    }
  }

  @Test
  void localsChangedBetweenSuspensionsAreSavedWithTheirNewValues() {
    Fibers.run(
        () -> {
          long l = 1;
          int i = 1;
          double d = 1;
          float f = 1;
          char c = 'a';
          short s = 1;
          byte b = 1;
          boolean z = false;
          for (int round = 1; round <= 5; round++) {
            l *= -3;
            i += round;
            d /= 2;
            f *= 4;
            c++;
            s *= -2;
            b <<= 1;
            z = !z;
            Pause.here();
          }
          assertEquals(-243L, l);
          assertEquals(16, i);
          assertEquals(1.0 / 32, d);
          assertEquals(1024f, f);
          assertEquals('f', c);
          assertEquals((short) -32, s);
          assertEquals((byte) 32, b);
          assertTrue(z);
        });
  }

  @Test
  void twoSlotValuesInterleavedWithOneSlotValuesKeepTheirPlaces() {
    Fibers.run(
        () -> {
          int a = 0x11111111;
          long b = 0x2222_2222_3333_3333L;
          int c = 0x44444444;
          double d = Double.longBitsToDouble(0x5555_5555_6666_6666L);
          float e = Float.intBitsToFloat(0x77777777);
          long f = -1L;
          String g = "g";
          double h = -Double.MIN_NORMAL;
          Pause.here();
          Pause.send();
          assertEquals(0x11111111, a);
          assertEquals(0x2222_2222_3333_3333L, b);
          assertEquals(0x44444444, c);
          assertEquals(0x5555_5555_6666_6666L, Double.doubleToRawLongBits(d));
          assertEquals(0x77777777, Float.floatToRawIntBits(e));
          assertEquals(-1L, f);
          assertEquals("g", g);
          assertEquals(-Double.MIN_NORMAL, h);
        });
  }

  @Test
  void everyPrimitiveTypeComesBackAsAReturnValue() {
    Fibers.run(
        () -> {
          assertTrue(Pause.z(true));
          assertFalse(Pause.z(false));
          assertEquals(Byte.MIN_VALUE, Pause.b(Byte.MIN_VALUE));
          assertEquals(Byte.MAX_VALUE, Pause.b(Byte.MAX_VALUE));
          assertEquals(Character.MAX_VALUE, Pause.c(Character.MAX_VALUE));
          assertEquals('\0', Pause.c('\0'));
          assertEquals(Short.MIN_VALUE, Pause.s(Short.MIN_VALUE));
          assertEquals(Short.MAX_VALUE, Pause.s(Short.MAX_VALUE));
          assertEquals(Integer.MIN_VALUE, Pause.i(Integer.MIN_VALUE));
          assertEquals(-1, Pause.i(-1));
          assertEquals(0x7fc0_1234, Float.floatToRawIntBits(Pause.f(FLOAT_NAN_PAYLOAD)));
          assertEquals(0x8000_0000, Float.floatToRawIntBits(Pause.f(-0.0f)));
          assertEquals(Float.MIN_VALUE, Pause.f(Float.MIN_VALUE));
          assertEquals(Long.MIN_VALUE, Pause.j(Long.MIN_VALUE));
          assertEquals(Long.MAX_VALUE, Pause.j(Long.MAX_VALUE));
          assertEquals(
              0x7ff8_0000_dead_beefL, Double.doubleToRawLongBits(Pause.d(DOUBLE_NAN_PAYLOAD)));
          assertEquals(0x8000_0000_0000_0000L, Double.doubleToRawLongBits(Pause.d(-0.0)));
          assertEquals(Double.MAX_VALUE, Pause.d(Double.MAX_VALUE));
          assertEquals(Double.NEGATIVE_INFINITY, Pause.d(Double.NEGATIVE_INFINITY));
        });
  }

  @Test
  void argumentsOfEveryTypeSurviveInTheSuspendedCallee() {
    long r =
        Fibers.call(
            () ->
                mixedArguments(
                    true,
                    Byte.MIN_VALUE,
                    Character.MAX_VALUE,
                    Short.MIN_VALUE,
                    Integer.MAX_VALUE,
                    -0.0f,
                    Long.MIN_VALUE,
                    Double.NaN,
                    "str",
                    7));
    assertEquals(7, r);
  }

  @Suspendable
  private static long mixedArguments(
      boolean z, byte b, char c, short s, int i, float f, long j, double d, String str, int last) {
    Pause.here();
    assertTrue(z);
    assertEquals(Byte.MIN_VALUE, b);
    assertEquals(Character.MAX_VALUE, c);
    assertEquals(Short.MIN_VALUE, s);
    assertEquals(Integer.MAX_VALUE, i);
    Pause.sleep();
    assertEquals(0x8000_0000, Float.floatToRawIntBits(f));
    assertEquals(Long.MIN_VALUE, j);
    assertTrue(Double.isNaN(d));
    assertEquals("str", str);
    assertEquals(7, last);
    return last;
  }

  @Test
  void argumentsReassignedInTheCalleeAreSavedAsReassigned() {
    assertEquals(
        Double.valueOf(3 * 1.5 + 10 - 4 + 0.25),
        Fibers.call(() -> reassignArguments(3, 1.5, 10L, 'x', 0.25f)));
  }

  @Suspendable
  private static double reassignArguments(int n, double d, long l, char c, float f) {
    n = n * 2 - 3; // 3
    Pause.here();
    d = d * n; // 4.5
    Pause.here();
    l = l - 4; // 6
    c = (char) (c + 1);
    Pause.here();
    assertEquals(3, n);
    assertEquals(4.5, d);
    assertEquals(6L, l);
    assertEquals('y', c);
    assertEquals(0.25f, f);
    return d + l + f;
  }

  @Test
  void instanceMethodsKeepThisAndEveryTypeOfLocal() {
    Counter counter = new Counter(10);
    assertEquals(Long.valueOf(10 + 20 + 30), Fibers.call(() -> counter.addThree(20, 30.0)));
    assertEquals(60, counter.total);
  }

  /** An instance whose fields change while its method is suspended. */
  private static final class Counter {
    long total;

    Counter(long total) {
      this.total = total;
    }

    @Suspendable
    long addThree(int a, double b) {
      Counter self = this;
      total += Pause.i(a);
      Pause.here();
      total += (long) Pause.d(b);
      assertTrue(self == this);
      return total;
    }
  }

  @Test
  void manyLocalsOfMixedTypes() {
    Fibers.run(
        () -> {
          int i0 = 0, i1 = 1, i2 = 2, i3 = 3, i4 = 4, i5 = 5, i6 = 6, i7 = 7;
          long l0 = 10, l1 = 11, l2 = 12, l3 = 13;
          double d0 = 20.5, d1 = 21.5, d2 = 22.5, d3 = 23.5;
          float f0 = 30.25f, f1 = 31.25f, f2 = 32.25f;
          String s0 = "s0", s1 = "s1", s2 = null, s3 = "s3";
          Object o0 = new int[] {9}, o1 = Long.valueOf(99);
          Pause.here();
          i3 += i7;
          l2 += l3;
          Pause.sleep();
          Pause.here();
          assertEquals(0 + 1 + 2 + 10 + 4 + 5 + 6 + 7, i0 + i1 + i2 + i3 + i4 + i5 + i6 + i7);
          assertEquals(10 + 11 + 25 + 13, l0 + l1 + l2 + l3);
          assertEquals(20.5 + 21.5 + 22.5 + 23.5, d0 + d1 + d2 + d3);
          assertEquals(30.25f + 31.25f + 32.25f, f0 + f1 + f2);
          assertEquals("s0s1nulls3", s0 + s1 + s2 + s3);
          assertEquals(9, ((int[]) o0)[0]);
          assertEquals(99L, o1);
        });
  }
}
