package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Arrays of every kind in locals, null locals, and locals whose verifier type depends on the path
 * taken: merged types, slots reused by different types, slots unassigned on some paths.
 */
class ArraysAndLocalsShapeTest extends ShapeTest {

  @Test
  void primitiveArraysKeepIdentityAndContents() {
    Fibers.run(
        () -> {
          boolean[] zs = {true, false};
          byte[] bs = {Byte.MIN_VALUE, 0, Byte.MAX_VALUE};
          char[] cs = {'w', 'e', 'f', 't'};
          short[] ss = {Short.MIN_VALUE, Short.MAX_VALUE};
          int[] is = {1, 2, 3};
          float[] fs = {-0.0f, Float.NaN};
          long[] ls = {Long.MIN_VALUE, 0, Long.MAX_VALUE};
          double[] ds = {Double.MIN_VALUE, -0.0};
          int[] alias = is;
          Pause.here();
          is[1] = 20;
          ls[1] = Pause.j(42L);
          Pause.sleep();
          assertSame(is, alias);
          assertArrayEquals(new boolean[] {true, false}, zs);
          assertArrayEquals(new byte[] {Byte.MIN_VALUE, 0, Byte.MAX_VALUE}, bs);
          assertArrayEquals("weft".toCharArray(), cs);
          assertArrayEquals(new short[] {Short.MIN_VALUE, Short.MAX_VALUE}, ss);
          assertArrayEquals(new int[] {1, 20, 3}, alias);
          assertArrayEquals(new float[] {-0.0f, Float.NaN}, fs);
          assertArrayEquals(new long[] {Long.MIN_VALUE, 42, Long.MAX_VALUE}, ls);
          assertArrayEquals(new double[] {Double.MIN_VALUE, -0.0}, ds);
        });
  }

  @Test
  void referenceArraysWithNullsAndSubtypes() {
    Fibers.run(
        () -> {
          String[] names = {"a", null, "c"};
          Object[] mixed = {1, "two", null, new int[] {3}};
          CharSequence[] sequences = new String[] {"covariant"};
          Pause.here();
          names[1] = Pause.ref("b");
          Pause.receive(names);
          assertArrayEquals(new String[] {"a", "b", "c"}, names);
          assertEquals(1, mixed[0]);
          assertEquals("two", mixed[1]);
          assertNull(mixed[2]);
          assertArrayEquals(new int[] {3}, (int[]) mixed[3]);
          assertEquals(String[].class, sequences.getClass());
        });
  }

  @Test
  void multiDimensionalArraysIncludingDimensionsComputedAcrossSuspensions() {
    Fibers.run(
        () -> {
          int[][] jagged = {{1}, {2, 3}, {}};
          long[][][] cube = new long[2][3][4];
          cube[1][2][3] = Long.MAX_VALUE;
          Pause.here();
          // multianewarray with every dimension produced by a suspending call.
          double[][] grid = new double[Pause.i(3)][Pause.i(5)];
          grid[2][4] = Pause.d(0.5);
          String[][] names = new String[Pause.i(2)][];
          names[1] = new String[] {Pause.ref("x")};
          Pause.here();
          assertArrayEquals(new int[][] {{1}, {2, 3}, {}}, jagged);
          assertEquals(Long.MAX_VALUE, cube[1][2][3]);
          assertEquals(0L, cube[0][0][0]);
          assertEquals(3, grid.length);
          assertEquals(5, grid[0].length);
          assertEquals(0.5, grid[2][4]);
          assertNull(names[0]);
          assertArrayEquals(new String[] {"x"}, names[1]);
        });
  }

  @Test
  void nullLocalsStayNullAndCanBeAssignedAfterwards() {
    Fibers.run(
        () -> {
          String s = null;
          Object o = null;
          int[] a = null;
          Runnable r = null;
          Pause.here();
          assertNull(s);
          assertNull(o);
          assertNull(a);
          assertNull(r);
          s = Pause.ref("now");
          a = new int[] {Pause.i(1)};
          Pause.here();
          assertEquals("now", s);
          assertArrayEquals(new int[] {1}, a);
          assertNull(o);
          assertNull(Pause.ref(o));
        });
  }

  @Test
  void localsWhoseTypeDependsOnTheBranchTaken() {
    Fibers.run(
        () -> {
          for (int k = 0; k < 2; k++) {
            assertEquals(k == 0 ? "text" : "7", String.valueOf(mergedTypes(k == 0)));
          }
        });
  }

  @Suspendable
  private static Object mergedTypes(boolean flag) {
    Object o;
    if (flag) {
      o = "text";
    } else {
      o = Integer.valueOf(7);
    }
    Serializable ser = flag ? "s" : Integer.valueOf(1); // merge of String and Integer
    CharSequence cs = flag ? new StringBuilder("sb") : "str";
    List<String> list = flag ? new ArrayList<>() : new LinkedList<>();
    Pause.here();
    list.add(Pause.ref("added"));
    Pause.here();
    assertEquals(flag ? "sb" : "str", cs.toString());
    assertEquals(flag ? "s" : Integer.valueOf(1), ser);
    assertEquals(flag ? ArrayList.class : LinkedList.class, list.getClass());
    assertEquals(List.of("added"), list);
    return o;
  }

  @Test
  void oneSlotReusedByDifferentTypesAtDifferentSuspensions() {
    Fibers.run(
        () -> {
          StringBuilder log = new StringBuilder();
          {
            int x = 5;
            Pause.here();
            log.append(x);
          }
          {
            String y = "s";
            Pause.here();
            log.append(y);
          }
          {
            double z = 1.5;
            Pause.here();
            log.append(z);
          }
          {
            long w = -2;
            int v = 3;
            Pause.here();
            log.append(w).append(v);
          }
          {
            Object u = null;
            Pause.here();
            log.append(u);
          }
          assertEquals("5s1.5-23null", log.toString());
        });
  }

  @Test
  void slotsUnassignedOnSomePathsAtTheSuspension() {
    Fibers.run(
        () -> {
          assertEquals(3 + 4, partlyAssigned(1));
          assertEquals(4, partlyAssigned(-1));
        });
  }

  @Suspendable
  private static int partlyAssigned(int k) {
    int late;
    String maybe;
    if (k > 0) {
      late = 3;
      maybe = "set";
      Pause.here();
      assertEquals("set", maybe);
    } else {
      late = 0;
    }
    // Here 'maybe' is unassigned on one path: its slot has no type the verifier can use.
    Pause.here();
    int after = Pause.i(4);
    assertTrue(after == 4);
    return late + after;
  }
}
