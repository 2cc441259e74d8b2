package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Suspendable;
import dev.weft.SuspendableCallable;
import dev.weft.SuspendableRunnable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every kind of method that can suspend: static, instance, private, interface default, static
 * and private interface methods, abstract methods implemented in a subclass, generic methods and
 * the bridges javac adds for them, varargs, overrides that carry no annotation (called through
 * the base type and through their own type), super calls, and named classes implementing {@link
 * SuspendableRunnable} and {@link SuspendableCallable}.
 */
class MethodKindsShapeTest extends ShapeTest {
  private final String name = "kinds";

  // ---- static, instance, private -------------------------------------------------------------

  @Suspendable
  static int staticWork(int x) {
    Pause.here();
    return x + 1;
  }

  @Suspendable
  int instanceWork(int x) {
    Pause.here();
    return x * 2 + name.length();
  }

  @Suspendable
  private long privateWork(long x) {
    Pause.here();
    return privateStaticWork(x) + name.length();
  }

  @Suspendable
  private static long privateStaticWork(long x) {
    Pause.sleep();
    return -x;
  }

  @Test
  void staticInstanceAndPrivateMethods() {
    Fibers.run(
        () -> {
          assertEquals(6, staticWork(5));
          assertEquals(15, instanceWork(5));
          assertEquals(-5 + 5L, privateWork(5));
          assertEquals(6 + 15, staticWork(5) + this.instanceWork(5));
        });
  }

  // ---- interfaces ----------------------------------------------------------------------------

  interface Greeter {
    @Suspendable
    String greet(String who);

    @Suspendable
    default String greetTwice(String who) {
      return greet(who) + Pause.ref(" & ") + greet(who);
    }

    @Suspendable
    default String decorated(String who) {
      return decorate(greet(who));
    }

    @Suspendable
    private String decorate(String s) {
      Pause.here();
      return "[" + s + "]";
    }

    @Suspendable
    static int helper(int x) {
      Pause.here();
      return x + 1;
    }
  }

  /** Implements the abstract interface method without annotating it. */
  static final class PoliteGreeter implements Greeter {
    @Override
    public String greet(String who) {
      String hello = Pause.ref("hello ");
      return hello + who;
    }
  }

  /** An interface that inherits a suspendable method and overrides a default one. */
  interface LoudGreeter extends Greeter {
    @Override
    default String greetTwice(String who) {
      return Pause.ref(greet(who).toUpperCase()) + "!";
    }
  }

  @Test
  void interfaceDefaultStaticAndPrivateMethods() {
    Fibers.run(
        () -> {
          Greeter g = new PoliteGreeter();
          assertEquals("hello a", g.greet("a"));
          assertEquals("hello b & hello b", g.greetTwice("b"));
          assertEquals("[hello c]", g.decorated("c"));
          assertEquals(8, Greeter.helper(7));
          LoudGreeter loud = who -> Pause.ref("hi " + who);
          assertEquals("HI D!", loud.greetTwice("d"));
          assertEquals("[hi e]", loud.decorated("e"));
        });
  }

  // ---- abstract methods, overrides without annotation, super calls ----------------------------

  abstract static class Shape {
    @Suspendable
    abstract double area();

    @Suspendable
    double twice() {
      return 2 * area();
    }
  }

  static final class Square extends Shape {
    private final double side;

    Square(double side) {
      this.side = side;
    }

    @Override
    double area() { // no annotation: it implements a suspendable method
      double s = Pause.d(side);
      return s * s;
    }
  }

  static class Base {
    @Suspendable
    int work(int x) {
      Pause.here();
      return x;
    }
  }

  static class Derived extends Base {
    @Override
    int work(int x) { // no annotation
      int doubled = Pause.i(x * 2);
      return doubled + super.work(1);
    }
  }

  static final class MoreDerived extends Derived {
    @Override
    int work(int x) {
      return Pause.i(100) + super.work(x);
    }
  }

  @Test
  void abstractMethodImplementedInASubclass() {
    Fibers.run(
        () -> {
          Shape s = new Square(3);
          assertEquals(9.0, s.area());
          assertEquals(18.0, s.twice());
          Square sq = new Square(0.5);
          assertEquals(0.25, sq.area()); // called through the subclass type
        });
  }

  @Test
  void overridesWithoutAnnotationThroughEveryStaticType() {
    Fibers.run(
        () -> {
          Base viaBase = new Derived();
          assertEquals(2 * 5 + 1, viaBase.work(5));
          Derived viaDerived = new Derived();
          assertEquals(2 * 6 + 1, viaDerived.work(6));
          MoreDerived most = new MoreDerived();
          assertEquals(100 + 2 * 7 + 1, most.work(7));
          Base mostViaBase = most;
          assertEquals(100 + 2 * 8 + 1, mostViaBase.work(8));
        });
  }

  // ---- generics and bridges ------------------------------------------------------------------

  interface Source<T> {
    @Suspendable
    T next(int k);
  }

  /** javac adds a bridge next(I)Object that calls next(I)Integer. */
  static final class TripleSource implements Source<Integer> {
    @Override
    public Integer next(int k) {
      Pause.here();
      return k * 3;
    }
  }

  abstract static class Box<T> {
    @Suspendable
    abstract T map(T v);

    @Suspendable
    T mapTwice(T v) {
      return map(map(v));
    }
  }

  /** Bridge map(Object)Object calling map(String)String. */
  static final class Exclaim extends Box<String> {
    @Override
    String map(String v) {
      return Pause.ref(v) + "!";
    }
  }

  static class Maker {
    @Suspendable
    Object make() {
      return Pause.ref(new Object());
    }
  }

  /** A covariant return: bridge make()Object calling make()String. */
  static final class StringMaker extends Maker {
    @Override
    String make() {
      return Pause.ref("made");
    }
  }

  @Suspendable
  static <T extends Comparable<T>> T max(T a, T b) {
    Pause.here();
    return a.compareTo(b) >= 0 ? a : b;
  }

  @Suspendable
  static <T> List<T> listOf(T a, T b) {
    List<T> l = new ArrayList<>();
    l.add(Pause.ref(a));
    l.add(Pause.ref(b));
    return l;
  }

  @Test
  void genericMethodsAndBridgesCalledThroughTheGenericType() {
    Fibers.run(
        () -> {
          Source<Integer> viaInterface = new TripleSource();
          assertEquals(Integer.valueOf(6), viaInterface.next(2)); // through the bridge
          Box<String> box = new Exclaim();
          assertEquals("x!!", box.mapTwice("x"));
          Maker maker = new StringMaker();
          assertEquals("made", maker.make());
          assertEquals("pear", max("apple", "pear"));
          assertEquals(Long.valueOf(7), max(7L, -7L));
          assertEquals(List.of("p", "q"), listOf("p", "q"));
        });
  }

  @Test
  void bridgeTargetsCalledThroughTheirOwnType() {
    // The call sites name next(I)Integer, map(String)String and make()String: methods that
    // override a suspendable one only through the bridge javac added.
    Fibers.run(
        () -> {
          TripleSource direct = new TripleSource();
          assertEquals(Integer.valueOf(9), direct.next(3));
          assertEquals("y!", new Exclaim().map("y"));
          assertEquals("made", new StringMaker().make().substring(0, 4));
        });
  }

  // ---- varargs -------------------------------------------------------------------------------

  @Suspendable
  static long sum(long first, int... rest) {
    long s = first;
    for (int r : rest) {
      s += Pause.i(r);
    }
    return s;
  }

  @Suspendable
  static String joinAll(String sep, Object... parts) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        sb.append(Pause.ref(sep));
      }
      sb.append(parts[i]);
    }
    return sb.toString();
  }

  @Test
  void varargsIncludingArgumentsComputedBySuspendingCalls() {
    Fibers.run(
        () -> {
          assertEquals(1L, sum(1));
          assertEquals(1L + 2 + 3, sum(1, 2, 3));
          // The varargs array is created, then filled by calls that suspend.
          assertEquals(10L + 20 + 30, sum(Pause.j(10), Pause.i(20), 30));
          assertEquals("a-1-null", joinAll("-", "a", Pause.i(1), null));
          assertEquals("", joinAll(","));
          assertEquals("x", joinAll(",", (Object[]) new String[] {Pause.ref("x")}));
        });
  }

  // ---- named classes implementing the runnable and callable interfaces ------------------------

  static final class CountingTask implements SuspendableRunnable {
    final long[] out = new long[1];

    @Override
    public void run() {
      long n = 0;
      for (int i = 0; i < 3; i++) {
        n += Pause.i(i + 1);
      }
      out[0] = n;
    }
  }

  static final class Computation implements SuspendableCallable<String> {
    private final int times;

    Computation(int times) {
      this.times = times;
    }

    @Override
    public String call() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < times; i++) {
        sb.append(Pause.c((char) ('a' + i)));
      }
      return sb.toString();
    }
  }

  @Test
  void namedRunnableAndCallableClassesAsFiberBodies() {
    CountingTask task = new CountingTask();
    Fibers.run(task);
    assertEquals(6L, task.out[0]);
    assertEquals("abcd", Fibers.call(new Computation(4)));
  }

  @Test
  void namedRunnableAndCallableClassesCalledFromAFiber() {
    assertEquals(
        "abc",
        Fibers.call(
            () -> {
              CountingTask inner = new CountingTask();
              inner.run();
              assertEquals(6L, inner.out[0]);
              SuspendableCallable<String> viaInterface = new Computation(2);
              assertEquals("ab", viaInterface.call());
              return new Computation(3).call(); // call()String: the bridge target
            }));
  }
}
