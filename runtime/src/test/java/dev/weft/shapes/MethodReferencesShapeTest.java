package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.SuspendableCallable;
import dev.weft.SuspendableConsumer;
import dev.weft.SuspendableRunnable;
import dev.weft.Weft;
import org.junit.jupiter.api.Test;

/**
 * Method references as {@link SuspendableRunnable}, {@link SuspendableCallable} and other
 * suspendable functional interfaces: bound to {@code this} and to another object, static,
 * unbound, to private and default methods, through {@code super}, and the ones javac cannot link
 * directly (varargs, super) for which it writes a synthetic {@code lambda$} method.
 */
class MethodReferencesShapeTest extends ShapeTest {
  private int state = 1;

  /** A suspendable function of two ints. */
  @FunctionalInterface
  interface IntBiFunction<R> {
    @Suspendable
    R apply(int a, int b);
  }

  /** A suspendable function of one argument. */
  @FunctionalInterface
  interface Fn<T, R> {
    @Suspendable
    R apply(T t);
  }

  @Suspendable
  private String work() {
    state += Pause.i(1);
    return "work" + state;
  }

  @Suspendable
  private int intWork() {
    return Pause.i(state * 10);
  }

  @Suspendable
  static String staticWork() {
    Pause.here();
    return "static";
  }

  @Suspendable
  static long varargsSum(int... xs) {
    long s = 0;
    for (int x : xs) {
      s += Pause.i(x);
    }
    return s;
  }

  /** A worker with instance methods for bound and unbound references. */
  static class Worker {
    final String id;
    int done;

    Worker(String id) {
      this.id = id;
    }

    @Suspendable
    String work() {
      done++;
      return Pause.ref(id) + done;
    }

    @Suspendable
    void finish() {
      Pause.here();
      done += 100;
    }
  }

  /** Overrides work(), so that super::work means something. */
  static final class Apprentice extends Worker {
    Apprentice() {
      super("apprentice");
    }

    @Override
    String work() {
      return "(" + Pause.ref("not super") + ")";
    }

    @Suspendable
    String viaSuper() throws Exception {
      SuspendableCallable<String> sup = super::work; // javac writes a lambda$ for this
      SuspendableCallable<String> own = this::work;
      return sup.call() + own.call();
    }
  }

  interface Named {
    @Suspendable
    String name();

    @Suspendable
    default String loud() {
      return Pause.ref(name()).toUpperCase();
    }
  }

  @Test
  void boundToThisAndBoxedResults() {
    Fibers.run(
        () -> {
          SuspendableCallable<String> w = this::work;
          assertEquals("work2", w.call());
          assertEquals("work3", w.call());
          SuspendableCallable<Integer> boxed = this::intWork; // boxing adapted by the proxy
          assertEquals(Integer.valueOf(30), boxed.call());
          SuspendableRunnable asRunnable = this::work; // result dropped
          asRunnable.run();
          assertEquals(4, state);
        });
  }

  @Test
  void staticReferences() {
    Fibers.run(
        () -> {
          SuspendableCallable<String> s = MethodReferencesShapeTest::staticWork;
          assertEquals("static", s.call());
          SuspendableRunnable r = MethodReferencesShapeTest::staticWork;
          r.run();
          IntBiFunction<Long> viaVarargs = MethodReferencesShapeTest::varargsSum;
          assertEquals(Long.valueOf(7), viaVarargs.apply(3, 4));
        });
  }

  @Test
  void boundToAnotherObject() {
    Fibers.run(
        () -> {
          Worker worker = new Worker("w");
          SuspendableCallable<String> bound = worker::work;
          assertEquals("w1", bound.call());
          assertEquals("w2", bound.call());
          SuspendableRunnable finish = worker::finish;
          finish.run();
          assertEquals(102, worker.done);
        });
  }

  @Test
  void unboundInstanceReferences() {
    Fibers.run(
        () -> {
          Fn<Worker, String> unbound = Worker::work;
          Worker a = new Worker("a");
          assertEquals("a1", unbound.apply(a));
          assertEquals("b1", unbound.apply(new Worker("b")));
          SuspendableConsumer<Worker> finisher = Worker::finish;
          finisher.accept(a);
          assertEquals(101, a.done);
        });
  }

  @Test
  void constructorReferenceAndSuperReference() {
    Fibers.run(
        () -> {
          Fn<String, Worker> ctor = Worker::new;
          String name = Pause.ref("new");
          Worker made = ctor.apply(name);
          assertEquals("new1", made.work());
          assertEquals("apprentice1(not super)", new Apprentice().viaSuper());
        });
  }

  @Test
  void referencesToInterfaceMethods() {
    Fibers.run(
        () -> {
          Named named = () -> Pause.ref("named");
          SuspendableCallable<String> loud = named::loud; // a default method
          assertEquals("NAMED", loud.call());
          Fn<Named, String> unbound = Named::name;
          assertEquals("named", unbound.apply(named));
        });
  }

  @Test
  void referencesStartedAsFibers() {
    Fibers.run(
        () -> {
          Channel<String> out = Channel.make();
          Worker worker = new Worker("go") {
            @Override
            void finish() {
              super.finish();
              out.send(Pause.ref(id) + done);
            }
          };
          Weft.go(worker::finish);
          assertEquals("go100", out.receive());
        });
  }
}
