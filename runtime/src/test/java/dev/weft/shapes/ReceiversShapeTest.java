package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Suspendable;
import org.junit.jupiter.api.Test;

/**
 * The receiver of a suspendable instance call, pushed before its arguments, is on the operand
 * stack while a call computing an argument suspends; then the call itself suspends, and resuming
 * into it needs the receiver back. The receiver comes from a parameter or a local that is never
 * read again, from {@code this}, a field, an array element or another call.
 */
class ReceiversShapeTest extends ShapeTest {
  private final Scaler field = new Doubler();

  /** A suspendable interface method. */
  interface Scaler {
    @Suspendable
    int scale(int x);
  }

  /** Suspends in the call itself as well as around it. */
  static final class Doubler implements Scaler {
    @Override
    public int scale(int x) {
      Pause.here();
      return 2 * x;
    }
  }

  @Suspendable
  private int scaleHere(int x) {
    return 2 * Pause.i(x);
  }

  @Test
  void receiverFromAParameterNeverReadAgain() {
    Fibers.run(() -> assertEquals(2, fromParameter(new Doubler())));
  }

  @Suspendable
  private static int fromParameter(Scaler s) {
    return s.scale(Pause.i(1));
  }

  @Test
  void receiverFromAParameterAfterAnEarlierSuspension() {
    Fibers.run(() -> assertEquals(7 + 2 * 3, afterEarlierSuspension(new Doubler())));
  }

  @Suspendable
  private static int afterEarlierSuspension(Scaler s) {
    return Pause.i(7) + s.scale(Pause.i(3));
  }

  @Test
  void receiverFromALocalNeverReadAgain() {
    Fibers.run(
        () -> {
          Scaler local = new Doubler();
          assertEquals(8, local.scale(Pause.i(4)));
        });
  }

  @Test
  void receiverFromALambdaHeldInALocal() {
    Fibers.run(
        () -> {
          Scaler lambda = x -> Pause.i(x) + 1;
          assertEquals(6, lambda.scale(Pause.i(5)));
        });
  }

  @Test
  void receiverFromThisAFieldAnArrayAndACall() {
    Fibers.run(
        () -> {
          assertEquals(10, this.scaleHere(Pause.i(5)));
          assertEquals(12, field.scale(Pause.i(6)));
          Scaler[] array = {new Doubler()};
          assertEquals(14, array[0].scale(Pause.i(7)));
          assertEquals(16, make().scale(Pause.i(8)));
        });
  }

  @Suspendable
  private static Scaler make() {
    return Pause.ref(new Doubler());
  }
}
