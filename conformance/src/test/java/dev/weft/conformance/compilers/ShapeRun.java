package dev.weft.conformance.compilers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Weft;

/** Runs one shape inside a fiber that yields at every pause, and checks what it returns. */
final class ShapeRun {
  private ShapeRun() {}

  static void check(Shapes shapes, String name, String expected) throws Exception {
    YieldingPause pause = new YieldingPause();
    Object inFiber = Weft.call(() -> shapes.run(name, pause));
    assertEquals(expected, String.valueOf(inFiber), name + " after resuming");
    assertTrue(pause.inFiber > 0, name + " never suspended");
    assertEquals(expected, String.valueOf(shapes.run(name, new YieldingPause())), name + " plainly");
  }
}
