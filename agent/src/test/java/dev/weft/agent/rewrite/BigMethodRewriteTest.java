package dev.weft.agent.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.agent.CapturedErr;
import dev.weft.agent.ClassFiles;
import dev.weft.agent.WeftTransformer;
import dev.weft.agent.core.FrameContract;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Methods whose save and restore code would once have pushed them past the JVM's 64 KB limit:
 * commons-lang3's {@code ArrayUtilsTest.testSameLengthAll} (13 KB of code, 1,300 calls to
 * suspendable methods with 37 live arrays) and generated methods of the same size. They must
 * rewrite and verify; one that cannot fit even in the compact form loads disarmed with one warning
 * naming it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BigMethodRewriteTest {
  static final String ARRAY_UTILS_TEST = "org/apache/commons/lang3/ArrayUtilsTest";

  @Test
  void arrayUtilsTestRewritesCompletelyWithEveryLang3MethodSuspendable() throws IOException {
    Lang3 lang3 = Lang3.everyMethodSuspendable();
    byte[] out = lang3.rewriter().rewrite(lang3.bytes(ARRAY_UTILS_TEST));
    assertNotNull(out);
    ClassFiles.assertValid(out);
    Map<String, Boolean> marks = ClassFiles.instrumented(out);
    assertTrue(marks.get("testSameLengthAll()V"), "testSameLengthAll must be rewritten");
    MethodNode m = method(out, "testSameLengthAll");
    assertTrue(CodeSize.of(m) <= CodeSize.MAX_METHOD, "fits the JVM's limit: " + CodeSize.of(m));
  }

  @Test
  void generatedMethodOfTheSameSizeRewritesAndVerifies() {
    BigMethods gen = new BigMethods(1300);
    byte[] out = gen.rewriter().rewrite(gen.bytes());
    assertNotNull(out);
    ClassFiles.assertValid(out);
    assertTrue(ClassFiles.instrumented(out).get("big()J"));
  }

  @Test
  void aSmallMethodKeepsItsInlineFastPath() {
    BigMethods gen = new BigMethods(40);
    MethodNode m = method(gen.rewriter().rewrite(gen.bytes()), "big");
    // The inline arm writes the mode field itself; the compact form calls FrameStack.arm instead.
    long calls = count(m, "arm");
    assertEquals(0, calls, "a small method arms inline, without a call");
  }

  @Test
  void aMethodTooLargeEvenCompactLoadsDisarmedWithOneWarningNamingIt() {
    BigMethods gen = new BigMethods(9000);
    WeftTransformer transformer = new WeftTransformer(null, true, false);
    String[] err = new String[1];
    byte[][] out = new byte[1][];
    err[0] =
        CapturedErr.of(
            () -> out[0] = transformer.transform(gen.loader(), BigMethods.NAME, null, null, gen.bytes()));
    assertNotNull(out[0], "the class must load disarmed, not unchanged");
    MethodNode m = method(out[0], "big");
    assertEquals(1, count(m, "disarm"));
    assertTrue(err[0].contains("big()J"), err[0]);
    assertTrue(err[0].contains("too large"), err[0]);
    assertEquals(1, err[0].lines().filter(l -> l.contains("warning")).count(), err[0]);
  }

  static MethodNode method(byte[] bytes, String name) {
    ClassNode cn = new ClassNode();
    new ClassReader(bytes).accept(cn, 0);
    return cn.methods.stream().filter(x -> x.name.equals(name)).findFirst().orElseThrow();
  }

  static long count(MethodNode m, String frameStackMethod) {
    long n = 0;
    for (var i : m.instructions) {
      if (i instanceof MethodInsnNode
          && ((MethodInsnNode) i).owner.equals(FrameContract.FRAME_STACK)
          && ((MethodInsnNode) i).name.equals(frameStackMethod)) {
        n++;
      }
    }
    return n;
  }

  static byte[] read(ClassLoader loader, String internalName) throws IOException {
    try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
      assertNotNull(in, internalName);
      return in.readAllBytes();
    }
  }
}
