package dev.weft.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.fixtures.Plain;
import example.fixtures.Shapes;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeftTransformerTest {
  private final WeftTransformer transformer = new WeftTransformer(null, true, true);

  byte[] transform(Class<?> c) throws IOException {
    return transformer.transform(
        c.getClassLoader(), c.getName().replace('.', '/'), null, null, ClassFiles.bytesOf(c));
  }

  @Test
  void classWithoutSuspendableMethodsIsLeftUnchanged() throws IOException {
    assertNull(transform(Plain.class), "null tells the JVM to keep the original bytes");
  }

  @Test
  void suspendableMethodsAreRewrittenAndVerify() throws IOException {
    byte[] out = transform(Shapes.class);
    assertNotNull(out);
    ClassFiles.assertValid(out);
    Map<String, Boolean> marks = ClassFiles.instrumented(out);
    for (String m :
        new String[] {
          "pause(I)I", "all(ZBCSIFJDLjava/lang/Object;[I)J", "tryShapes(I)I", "ctorArgs(I)Ljava/lang/String;",
          "loops(I)I", "pinned(I)I", "lambdas(I)I"
        }) {
      assertTrue(marks.get(m), m + " should be instrumented");
    }
    assertFalse(marks.get("notSuspendable(I)I"));
    assertFalse(marks.get("<init>()V"));
    // The Step lambda's body is instrumented, the IntSupplier lambda's is not.
    long lambdaBodies = marks.entrySet().stream().filter(e -> e.getKey().startsWith("lambda$") && e.getValue()).count();
    assertEquals(1, lambdaBodies, marks.toString());
  }

  @Test
  void overridesAndImplementationsAreRewritten() throws IOException {
    byte[] doubler = transform(Shapes.Doubler.class);
    assertNotNull(doubler);
    ClassFiles.assertValid(doubler);
    assertTrue(ClassFiles.instrumented(doubler).get("apply(I)I"));
  }

  @Test
  void bridgeAndItsTargetAreRewritten() throws IOException {
    byte[] maker = transform(Shapes.Maker.class);
    assertNotNull(maker);
    ClassFiles.assertValid(maker);
    Map<String, Boolean> marks = ClassFiles.instrumented(maker);
    assertTrue(marks.get("make()Ljava/lang/Object;"), "the bridge");
    assertTrue(marks.get("make()Ljava/lang/String;"), "the method it bridges to");
  }

  @Test
  void rewrittenClassPassesTheVerifier() throws Exception {
    // Only verification: FrameStack is not on this module's class path, so nothing rewritten can
    // run here. The runtime module runs rewritten code outside fibers (PlainThreadShapeTest).
    byte[] out = transform(Shapes.class);
    ClassFiles.assertValid(out);
  }

  @Test
  void malformedClassIsLoadedUnchangedWithOneWarning() throws IOException {
    byte[] good = ClassFiles.bytesOf(Shapes.class);
    byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
    String err = CapturedErr.of(
        () -> assertNull(transformer.transform(getClass().getClassLoader(), "example.fixtures/Shapes", null, null, truncated)));
    assertTrue(err.contains("cannot rewrite example.fixtures.Shapes"), err);
    assertTrue(err.contains("loaded unchanged"), err);
    byte[] garbage = {(byte) 0xCA, (byte) 0xFE, 1, 2, 3};
    String err2 = CapturedErr.of(
        () -> assertNull(transformer.transform(getClass().getClassLoader(), "x/Garbage", null, null, garbage)));
    assertTrue(err2.contains("x.Garbage"), err2);
  }

  @Test
  void platformAndAgentClassesAreNeverTouched() throws IOException {
    byte[] bytes = ClassFiles.bytesOf(Shapes.class);
    assertNull(transformer.transform(getClass().getClassLoader(), "java/util/Fake", null, null, bytes));
    assertNull(transformer.transform(getClass().getClassLoader(), "dev/weft/frame/Fake", null, null, bytes));
    assertNull(transformer.transform(null, "example.fixtures/Shapes", null, null, bytes));
  }

  @Test
  void transformIsDeterministic() throws IOException {
    byte[] a = transform(Shapes.class);
    byte[] b = new WeftTransformer(null, true, true)
        .transform(Shapes.class.getClassLoader(), "example.fixtures/Shapes", ClassFiles.bytesOf(Shapes.class));
    assertArrayEquals(a, b);
  }
}
