package dev.weft.shapes.gen;

import dev.weft.Suspendable;
import dev.weft.SuspendableCallable;
import dev.weft.shapes.Pause;
import java.util.ArrayList;
import java.util.List;

/** Java 17 shapes: records, sealed types, pattern instanceof, switch expressions, text blocks. */
public class Java17Shapes implements SuspendableCallable<String> {
  sealed interface Shape permits Circle, Square {}

  record Circle(double r) implements Shape {}

  record Square(long side) implements Shape {}

  @Suspendable
  static double area(Shape s) {
    if (s instanceof Circle c) {
      return Pause.d(c.r()) * c.r() * 3; // the binding c is live across the suspension
    }
    if (s instanceof Square sq && Pause.z(sq.side() > 0)) {
      return sq.side() * (double) Pause.j(sq.side());
    }
    return -1;
  }

  @Suspendable
  static String classify(Object o) {
    return switch (o.getClass().getSimpleName()) {
      case "Circle" -> "round";
      case "Square" -> {
        Pause.here();
        yield "square";
      }
      default -> Pause.ref("other");
    };
  }

  @Override
  public String call() {
    String text = """
        text
        block""";
    var list = new ArrayList<String>();
    for (Shape s : List.of(new Circle(2), new Square(3))) {
      list.add(classify(s) + "=" + area(s));
    }
    record Local(int a, String b) {}
    var local = new Local(Pause.i(1), Pause.ref("b"));
    list.add(local.toString());
    list.add(classify(text));
    list.add(text.replace('\n', '|'));
    return String.join(";", list);
  }
}
