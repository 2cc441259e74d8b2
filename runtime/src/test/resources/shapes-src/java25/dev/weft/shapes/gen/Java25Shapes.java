package dev.weft.shapes.gen;

import module java.base;

import dev.weft.Suspendable;
import dev.weft.SuspendableCallable;
import dev.weft.shapes.Pause;

/**
 * Java 25 shapes: a module import, unnamed variables and patterns, and a constructor with
 * statements before its super call (flexible constructor bodies), built from a suspending argument.
 */
public class Java25Shapes implements SuspendableCallable<String> {
  record Point(int x, int y) {}

  static class Base {
    final int value;

    Base(int value) {
      this.value = value;
    }
  }

  static final class Checked extends Base {
    Checked(int v) {
      if (v < 0) {
        throw new IllegalArgumentException("negative");
      }
      int doubled = v * 2;
      super(doubled);
    }
  }

  @Suspendable
  static int sumX(List<Object> items) {
    int total = 0;
    for (Object o : items) {
      switch (o) {
        case Point(int x, _) -> total += Pause.i(x);
        case String _ -> {
          Pause.here();
          total += 100;
        }
        default -> {}
      }
    }
    try {
      Integer.parseInt("not a number");
    } catch (NumberFormatException _) {
      total += Pause.i(1000);
    }
    return total;
  }

  @Override
  public String call() throws Exception {
    SuspendableCallable<Integer> c = () -> sumX(List.of(new Point(1, 2), "s", new Point(3, 4), 5.0));
    int sum = c.call();
    Checked checked = new Checked(Pause.i(21));
    return sum + ";" + checked.value;
  }
}
