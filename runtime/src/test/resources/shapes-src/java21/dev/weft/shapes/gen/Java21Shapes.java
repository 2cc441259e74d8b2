package dev.weft.shapes.gen;

import dev.weft.Suspendable;
import dev.weft.SuspendableCallable;
import dev.weft.shapes.Pause;
import java.util.ArrayList;
import java.util.List;

/**
 * Java 21 shapes: pattern switches over sealed records, with record deconstruction (accessor calls
 * wrapped in MatchException handlers), guards that suspend (a false guard restarts the type switch
 * at the next case), and a case null.
 */
public class Java21Shapes implements SuspendableCallable<String> {
  sealed interface Expr permits Num, Add, Mul, Neg {}

  record Num(long v) implements Expr {}

  record Add(Expr l, Expr r) implements Expr {}

  record Mul(Expr l, Expr r) implements Expr {}

  record Neg(Expr e) implements Expr {}

  @Suspendable
  static long eval(Expr e) {
    return switch (e) {
      case Num n when Pause.z(n.v() < 0) -> {
        Pause.here();
        yield n.v();
      }
      case Num(long v) -> Pause.j(v);
      case Add(Expr l, Expr r) -> eval(l) + eval(r);
      case Mul(Num(var a), Expr r) when a == 0 -> 0;
      case Mul m -> eval(m.l()) * Pause.j(eval(m.r()));
      case Neg(var inner) -> -eval(inner);
    };
  }

  @Suspendable
  static String describe(Object o) {
    return switch (o) {
      case null -> "null";
      case Integer i when i > Pause.i(10) -> "big " + i;
      case Integer i -> "small " + Pause.i(i);
      case String s -> Pause.ref(s).toUpperCase();
      default -> "other";
    };
  }

  @Override
  public String call() {
    List<String> out = new ArrayList<>();
    out.add(String.valueOf(eval(new Add(new Num(2), new Mul(new Num(3), new Neg(new Num(-4)))))));
    out.add(String.valueOf(eval(new Mul(new Num(0), new Num(Pause.j(9))))));
    for (Object o : new Object[] {null, 42, 7, "s", 1.5}) {
      out.add(describe(o));
    }
    return String.join(";", out);
  }
}
