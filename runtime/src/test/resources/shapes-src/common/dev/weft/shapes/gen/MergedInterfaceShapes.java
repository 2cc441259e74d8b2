package dev.weft.shapes.gen;

import dev.weft.Suspendable;
import dev.weft.SuspendableCallable;
import dev.weft.shapes.Pause;

/**
 * A conditional of two implementations of an interface merges, for the verifier, to Object; the
 * merged value is then the receiver of an interface call. The classes are loaded by a loader the
 * agent's own class loader cannot see.
 */
public class MergedInterfaceShapes implements SuspendableCallable<String> {
  interface Shape {
    @Suspendable
    long area(long k);
  }

  static final class Square implements Shape {
    @Override
    @Suspendable
    public long area(long k) {
      Pause.here();
      return k * k;
    }
  }

  static final class Line implements Shape {
    @Override
    @Suspendable
    public long area(long k) {
      Pause.here();
      return 0;
    }
  }

  static boolean square = true;

  @Suspendable
  static long measure(long k) {
    return (square ? (Shape) new Square() : new Line()).area(Pause.j(k)) + Pause.j(1);
  }

  @Override
  @Suspendable
  public String call() {
    return Long.toString(measure(6));
  }
}
