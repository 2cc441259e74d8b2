package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated methods with hundreds of suspending call sites in many layouts (an int, a long, a
 * double or a reference under the call; block-scoped locals making the live set differ), every
 * value checked after every suspension, at three sizes: the inline form, and methods big enough
 * for the compact form (more than 8,000 bytes of code) and the far arrangement (more than 32 KB
 * rewritten), which once failed to rewrite (MethodTooLargeException) and ran disarmed. A dump
 * taken while the method is parked, and the uninstrumented-frame error raised below it, name the
 * method and the right source line.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BigMethodShapeTest extends ShapeTest {
  @TempDir Path dir;

  @Test
  void smallInlineFormKeepsEveryValue() throws Exception {
    run("BigShapeSmall", 12);
  }

  @Test
  void mediumMethodKeepsEveryValue() throws Exception {
    run("BigShapeMedium", 90);
  }

  @Test
  void hugeMethodInTheCompactFarFormKeepsEveryValue() throws Exception {
    run("BigShapeHuge", 300);
  }

  private void run(String name, int blocks) throws Exception {
    BigMethodSource source = new BigMethodSource(name, blocks);
    Path classes = ShapeCompiler.compile(dir, ShapeCompiler.writeSource(dir, name, source.text()), 17);
    Object result = ShapeCompiler.run(classes, name);
    assertEquals(source.expectedResult(), result);
  }
}
