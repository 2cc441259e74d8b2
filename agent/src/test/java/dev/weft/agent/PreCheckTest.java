package dev.weft.agent;

import static dev.weft.agent.GeneratedClass.aClass;
import static dev.weft.agent.GeneratedClass.anInterface;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.agent.hierarchy.SuspendablesList;
import example.fixtures.PreCheckShapes;
import example.fixtures.Shapes;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transformer rejects most classes from their header alone, before ASM reads them; each class
 * here needs rewriting although its own constant pool says little or nothing about Weft, so the
 * pre-check must let it through.
 */
class PreCheckTest {
  private final WeftTransformer transformer = new WeftTransformer(null, true, true);

  private byte[] transform(ClassLoader loader, Class<?> c) throws IOException {
    return transformer.transform(
        loader, c.getName().replace('.', '/'), null, null, ClassFiles.bytesOf(c));
  }

  private byte[] transform(Class<?> c) throws IOException {
    return transform(c.getClassLoader(), c);
  }

  private static void assertRewritten(byte[] out, String method) {
    assertNotNull(out, method + " must be rewritten");
    ClassFiles.assertValid(out);
    assertTrue(ClassFiles.instrumented(out).get(method), method + " is not instrumented");
  }

  /** A loader that sees the test classes and serves one suspendables list with {@code lines}. */
  private static ClassLoader withList(Path dir, String lines) throws IOException {
    Path list = dir.resolve(SuspendablesList.RESOURCE);
    Files.createDirectories(list.getParent());
    Files.write(list, lines.getBytes(StandardCharsets.UTF_8));
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, PreCheckTest.class.getClassLoader());
  }

  @Test
  @Timeout(30)
  void anOverrideOfASuperclassMethodIsRewritten() throws IOException {
    assertRewritten(transform(PreCheckShapes.OnlyOverrides.class), "work()V");
  }

  @Test
  @Timeout(30)
  void anImplementationOfAnInterfaceMethodIsRewritten() throws IOException {
    assertRewritten(transform(PreCheckShapes.OnlyImplements.class), "step()V");
  }

  @Test
  @Timeout(30)
  void aLambdaToASuspendableInterfaceIsRewritten() throws IOException {
    byte[] out = transform(PreCheckShapes.LambdaToStep.class);
    assertNotNull(out);
    long bodies =
        ClassFiles.instrumented(out).entrySet().stream()
            .filter(e -> e.getKey().startsWith("lambda$") && e.getValue())
            .count();
    assertEquals(1, bodies);
  }

  @Test
  @Timeout(30)
  void aMethodReferenceThroughASuspendableInterfaceIsRewritten() throws IOException {
    assertRewritten(transform(PreCheckShapes.ReferenceToStep.class), "rest()V");
  }

  @Test
  @Timeout(30)
  void lambdasToTheJdksInterfacesAloneNeedNoRewrite() throws IOException {
    assertNull(transform(PreCheckShapes.LambdaToRunnable.class));
  }

  @Test
  @Timeout(30)
  void aLambdaToAJdkInterfaceThatAListNamesIsRewritten(@TempDir Path dir) throws IOException {
    ClassLoader loader = withList(dir, "java.lang.Runnable#run\n");
    byte[] out = transform(loader, PreCheckShapes.LambdaToRunnable.class);
    assertNotNull(out, "a list made Runnable.run suspendable");
  }

  @Test
  @Timeout(30)
  void aMethodMarkedByAnAnnotationThatAListNamesIsRewritten(@TempDir Path dir)
      throws IOException {
    ClassLoader loader = withList(dir, "@example.fixtures.PreCheckShapes$Handler\n");
    assertRewritten(transform(loader, PreCheckShapes.Handled.class), "handle()V");
  }

  @Test
  @Timeout(30)
  void aClassThatAListNamesIsRewritten(@TempDir Path dir) throws IOException {
    ClassLoader loader = withList(dir, "example.fixtures.PreCheckShapes$Listed#listed\n");
    assertRewritten(transform(loader, PreCheckShapes.Listed.class), "listed()V");
  }

  @Test
  @Timeout(30)
  void withoutItsListTheSameClassesNeedNoRewrite() throws IOException {
    assertNull(transform(PreCheckShapes.Handled.class));
    assertNull(transform(PreCheckShapes.Listed.class));
  }

  @Test
  @Timeout(30)
  void aLoaderThatCannotSeeTheRuntimeGetsNoRewrite() throws IOException {
    WeftTransformer blind = new WeftTransformer(null, true, true, "no/such/Runtime");
    byte[] bytes = ClassFiles.bytesOf(Shapes.class);
    ClassLoader loader = Shapes.class.getClassLoader();
    assertNull(blind.transform(loader, "example/fixtures/Shapes", null, null, bytes));
    assertNotNull(transform(Shapes.class), "the same class where the runtime is visible");
  }

  /**
   * A loader that cannot see the runtime gets nothing rewritten, so its suspendables lists would
   * change nothing: looking for them searches every jar of the loader, and a build tool has dozens
   * of such loaders.
   */
  @Test
  @Timeout(30)
  void aLoaderThatCannotSeeTheRuntimeIsNotSearchedForLists() throws IOException {
    WeftTransformer blind = new WeftTransformer(null, true, true, "no/such/Runtime");
    List<String> asked = new CopyOnWriteArrayList<>();
    ClassLoader loader =
        new ClassLoader(PreCheckTest.class.getClassLoader()) {
          @Override
          public Enumeration<URL> getResources(String name) throws IOException {
            asked.add(name);
            return super.getResources(name);
          }
        };
    byte[] bytes = ClassFiles.bytesOf(Shapes.class);
    assertNull(blind.transform(loader, "example/fixtures/Shapes", null, null, bytes));
    assertNull(blind.transform(loader, "example/fixtures/Shapes", null, null, bytes));
    assertEquals(List.of(), asked);
  }

  /**
   * A class below an unreadable supertype gets disarm calls, which call the runtime: where the
   * runtime is not visible they would fail with NoClassDefFoundError at the first call.
   */
  @Test
  @Timeout(30)
  void aLoaderThatCannotSeeTheRuntimeGetsNoDisarmCalls() {
    WeftTransformer blind = new WeftTransformer(null, true, true, "no/such/Runtime");
    GeneratedLoader loader =
        new GeneratedLoader(blind, false)
            .add(anInterface("blind/Api").abstractMethod("run", "()V", true))
            .add(aClass("blind/Impl", "java/lang/Object", "blind/Api").method("run", "()V", false));
    byte[][] out = new byte[1][];
    String err =
        CapturedErr.of(
            () -> out[0] = blind.transform(loader, "blind/Impl", null, null, loader.bytes("blind/Impl")));
    assertNull(out[0], "no call into a runtime the loader cannot see");
    assertEquals("", err);
  }
}
