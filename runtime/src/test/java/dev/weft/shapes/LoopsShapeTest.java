package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Channel;
import dev.weft.Suspendable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Loops of every form with suspensions in their bodies, conditions and updates: their hidden
 * locals (the array copy, index and length of an enhanced for, an Iterable's iterator) must be
 * saved like any other.
 */
class LoopsShapeTest extends ShapeTest {

  @Test
  void forLoopWithSuspensionsInInitConditionUpdateAndBody() {
    Fibers.run(
        () -> {
          long sum = 0;
          double product = 1;
          for (int i = Pause.i(0), j = 10; i < Pause.i(5); i += Pause.i(1), j--) {
            sum += i * j;
            product *= Pause.d(2);
          }
          assertEquals(0 * 10 + 1 * 9 + 2 * 8 + 3 * 7 + 4 * 6, sum);
          assertEquals(32.0, product);
        });
  }

  @Test
  void whileAndDoWhile() {
    Fibers.run(
        () -> {
          int n = 0;
          while (Pause.i(n) < 4) {
            n++;
            Pause.here();
          }
          assertEquals(4, n);
          long m = 10;
          do {
            m -= Pause.j(3);
          } while (m > 0);
          assertEquals(-2L, m);
          int k = 0;
          while (true) {
            if (Pause.i(++k) == 3) {
              break;
            }
          }
          assertEquals(3, k);
        });
  }

  @Test
  void labelledBreakAndContinueAcrossNestedLoops() {
    Fibers.run(
        () -> {
          List<String> visited = new ArrayList<>();
          outer:
          for (int i = 0; i < 4; i++) {
            inner:
            for (int j = 0; j < 4; j++) {
              Pause.here();
              if (j == i) {
                continue outer;
              }
              if (i == 3 && j == 1) {
                break outer;
              }
              if (j > 2) {
                break inner;
              }
              visited.add(Pause.ref(i + "" + j));
            }
          }
          assertEquals(List.of("10", "20", "21", "30"), visited);
        });
  }

  @Test
  void enhancedForOverArraysOfEveryKind() {
    Fibers.run(
        () -> {
          long total = 0;
          for (int v : new int[] {1, 2, 3}) {
            total += Pause.i(v);
          }
          for (long v : new long[] {Long.MAX_VALUE / 4, 1}) {
            Pause.here();
            total += v;
          }
          double dsum = 0;
          for (double v : new double[] {0.5, 0.25}) {
            dsum += Pause.d(v);
          }
          StringBuilder sb = new StringBuilder();
          for (String s : new String[] {"x", null, "z"}) {
            sb.append(Pause.ref(s));
          }
          for (char c : "ab".toCharArray()) {
            sb.append(Pause.c(c));
          }
          assertEquals(6 + Long.MAX_VALUE / 4 + 1, total);
          assertEquals(0.75, dsum);
          assertEquals("xnullzab", sb.toString());
        });
  }

  @Test
  void enhancedForOverIterables() {
    Fibers.run(
        () -> {
          Map<String, Integer> map = new LinkedHashMap<>();
          map.put("a", 1);
          map.put("b", 2);
          StringBuilder sb = new StringBuilder();
          for (Map.Entry<String, Integer> e : map.entrySet()) {
            Pause.here();
            sb.append(e.getKey()).append(Pause.i(e.getValue()));
          }
          for (Integer n : List.of(7, 8)) {
            for (String s : List.of("p", "q")) {
              sb.append(Pause.ref(s)).append(n);
            }
          }
          for (int v : new Countdown(3)) { // a custom Iterable, unboxed in the loop
            sb.append(Pause.i(v));
          }
          assertEquals("a1b2p7q7p8q8321", sb.toString());
        });
  }

  /** An Iterable of our own, counting down to 1. */
  private static final class Countdown implements Iterable<Integer> {
    private final int from;

    Countdown(int from) {
      this.from = from;
    }

    @Override
    public Iterator<Integer> iterator() {
      return new Iterator<>() {
        int next = from;

        @Override
        public boolean hasNext() {
          return next > 0;
        }

        @Override
        public Integer next() {
          return next--;
        }
      };
    }
  }

  @Test
  void manyIterationsEachSuspending() {
    Fibers.run(
        () -> {
          long sum = 0;
          for (int i = 0; i < 2000; i++) {
            sum += i;
            if (i % 100 == 0) {
              Pause.here();
            } else {
              dev.weft.Weft.gosched(); // the cheap way, without a witness
            }
          }
          assertEquals(1999L * 2000 / 2, sum);
        });
  }

  @Test
  void rangeOverAChannelWithASuspendingBody() {
    Fibers.run(
        () -> {
          Channel<Integer> ch = Channel.make(2);
          dev.weft.Weft.go(
              () -> {
                for (int i = 1; i <= 5; i++) {
                  ch.send(i);
                }
                ch.close();
              });
          long[] sum = {0};
          int base = 1000;
          ch.forEach(v -> sum[0] += Pause.i(v) + base);
          assertEquals(15 + 5 * 1000, sum[0]);
          // A plain loop over receive, the other way to range.
          Channel<String> words = Channel.make();
          dev.weft.Weft.go(
              () -> {
                words.send("x");
                words.send("y");
                words.close();
              });
          StringBuilder sb = new StringBuilder();
          for (String w; (w = words.receive()) != null; ) {
            sb.append(Pause.ref(w));
          }
          assertEquals("xy", sb.toString());
        });
  }

  @Test
  void loopsInsideSuspendableMethodsCalledFromLoops() {
    Fibers.run(
        () -> {
          long total = 0;
          for (int row = 0; row < 3; row++) {
            total += rowSum(row, 4);
          }
          assertEquals((0 + 1 + 2 + 3) * 3 + 4 * (0 + 1 + 2) * 10, total);
        });
  }

  @Suspendable
  private static long rowSum(int row, int width) {
    long s = 0;
    int col = 0;
    do {
      s += col + row * 10L * Pause.i(1);
      col++;
    } while (col < width);
    return s;
  }
}
