// Compiled at test time by the Eclipse compiler (ECJ); every method here is listed suspendable.
package weft.ecj;

import dev.weft.SuspendableFunction;
import dev.weft.conformance.compilers.Pause;
import dev.weft.conformance.compilers.Shapes;

public class EcjShapes implements Shapes {
  enum Color { RED, GREEN, BLUE }

  static final class Box {
    final int value;

    Box(int value) {
      this.value = value;
    }
  }

  class Inner {
    int twice(Pause p, int x) {
      return p.pause(x) * 2 + base;
    }
  }

  private int base = 1;

  @Override
  public Object run(String name, Pause p) throws Exception {
    switch (name) {
      case "loop": return loop(p, 6);
      case "tryFinally": return tryFinally(p);
      case "switches": return switches(p);
      case "lambda": return lambda(p);
      case "constructor": return new Box(p.pause(5) + p.pause(6)).value;
      case "inner": return new Inner().twice(p, 20);
      case "varargs": return sum(p, 1, 2, 3);
      default: throw new IllegalArgumentException(name);
    }
  }

  private String loop(Pause p, int n) {
    long sum = 0;
    double d = 0.5;
    StringBuilder parts = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sum += p.pause(i) * 1_000_000_007L;
      d *= 2;
      parts.append(p.pause(i * i)).append(' ');
    }
    return sum + " " + d + " " + parts.toString().trim();
  }

  private String tryFinally(Pause p) {
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      try {
        log.append('t').append(p.pause(i));
        if (i == 1) continue;
        if (i == 2) break;
      } finally {
        log.append('f').append(p.pause(i + 10));
      }
    }
    return log.toString();
  }

  private String switches(Pause p) {
    StringBuilder out = new StringBuilder();
    for (Color c : Color.values()) {
      switch (c) {
        case RED: out.append("r").append(p.pause(1)); break;
        case GREEN: out.append("g").append(p.pause(2)); break;
        default: out.append("b").append(p.pause(3));
      }
    }
    int k = p.pause(2);
    String word = switch (k) {
      case 1 -> "one";
      case 2 -> {
        int more = p.pause(40);
        yield "two" + more;
      }
      default -> "many";
    };
    return out + word;
  }

  private String lambda(Pause p) throws Exception {
    int offset = p.pause(100);
    SuspendableFunction<Integer, Integer> add = x -> p.pause(x) + offset;
    SuspendableFunction<Integer, Integer> twice = this::twiceOf;
    return add.apply(1) + " " + twice.apply(21) + " " + offset;
  }

  private Integer twiceOf(Integer x) {
    return p2(x) * 2;
  }

  private int p2(int x) {
    return x;
  }

  private static int sum(Pause p, int... xs) {
    int s = 0;
    for (int x : xs) {
      s += p.pause(x);
    }
    return s;
  }
}
