package dev.weft.shapes.gen;

import dev.weft.Suspendable;
import dev.weft.SuspendableCallable;
import dev.weft.shapes.Pause;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shapes every Java release since 8 can express, compiled at test time for each release: at 8 the
 * inner class reaches the outer private method through a synthetic access$ method and strings
 * are concatenated with StringBuilder; from 9 concatenation is an invokedynamic; from 11 the inner
 * class calls the private method directly as a nestmate.
 */
public class CommonShapes implements SuspendableCallable<String> {
  private int secret = 5;

  @Suspendable
  private int privateWork(int x) {
    Pause.here();
    return x + secret;
  }

  class Inner {
    @Suspendable
    int viaOuter(int x) {
      return privateWork(Pause.i(x));
    }
  }

  interface Source<T> {
    @Suspendable
    T next(int k);
  }

  static final class Doubler implements Source<Long> {
    @Override
    public Long next(int k) {
      return Pause.j(k) * 2;
    }
  }

  static final class Pair {
    final Object a;
    final Object b;

    Pair(Object a, Object b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public String toString() {
      return "(" + a + "," + b + ")";
    }
  }

  @Suspendable
  static long sum(int... xs) {
    long s = 0;
    for (int x : xs) {
      s += Pause.i(x);
    }
    return s;
  }

  @Suspendable
  private static String kind(String s) {
    switch (Pause.ref(s)) {
      case "a":
        return "A";
      case "b":
        Pause.here();
        return "B";
      default:
        return "?";
    }
  }

  @Override
  public String call() throws Exception {
    List<String> out = new ArrayList<String>();
    long wide = Long.MIN_VALUE;
    double dbl = -0.0;
    final int n = 3;
    final String s = "s";
    out.add("inner=" + new Inner().viaOuter(2));
    final long captured = 1L << 40;
    SuspendableCallable<String> lambda = () -> "lambda=" + (captured + Pause.i(n));
    out.add(lambda.call());
    SuspendableCallable<String> anon =
        new SuspendableCallable<String>() {
          @Override
          public String call() {
            return "anon=" + Pause.ref(s);
          }
        };
    out.add(anon.call());
    Source<Long> src = new Doubler();
    out.add("bridge=" + src.next(21));
    out.add("varargs=" + sum(1, Pause.i(2), 3));
    out.add("ctor=" + new Pair(Pause.ref("x"), new Pair(n, Pause.j(wide))));
    try {
      Pause.here();
      throw new IllegalStateException("boom" + Pause.i(1));
    } catch (IllegalStateException e) {
      out.add("caught=" + Pause.ref(e.getMessage()));
    } finally {
      out.add("finally");
      Pause.here();
    }
    StringBuilder kinds = new StringBuilder();
    for (String k : Arrays.asList("a", "b", "c")) {
      kinds.append(kind(k));
    }
    out.add("switch=" + kinds);
    out.add("locals=" + wide + "," + dbl + "," + n + "," + s);
    return String.join(";", out);
  }
}
