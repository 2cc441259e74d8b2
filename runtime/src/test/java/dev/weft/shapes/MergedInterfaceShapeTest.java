package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier the agent analyses methods with must not load application classes: a value merged
 * from two implementations of an interface (a conditional) and passed where the interface is
 * expected once made it ask the agent's own class loader for the interface, which a class loaded
 * by another loader cannot be found through, and the whole class was left unrewritten.
 */
@Timeout(60)
class MergedInterfaceShapeTest extends ShapeTest {
  @TempDir Path dir;

  @Test
  void aConditionalOfTwoImplementationsAsAnInterfaceReceiver() throws Exception {
    Path source = ShapeCompiler.copySource(dir, "common", "MergedInterfaceShapes");
    Path classes = ShapeCompiler.compile(dir, source, 17);
    assertEquals("37", ShapeCompiler.run(classes, "MergedInterfaceShapes"));
  }
}
