package dev.weft.shapes;

import dev.weft.Weft;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the shape tests: they run at maxprocs 1, which is what makes a {@link Witness}
 * conclusive (another fiber can only run once the fiber under test has left the worker).
 */
abstract class ShapeTest {
  private static int previousMaxProcs;

  @BeforeAll
  static void oneWorker() {
    previousMaxProcs = Weft.setMaxProcs(1);
  }

  @AfterAll
  static void restoreWorkers() {
    Weft.setMaxProcs(previousMaxProcs);
  }
}
