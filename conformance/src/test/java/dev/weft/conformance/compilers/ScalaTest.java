package dev.weft.conformance.compilers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Scala 2.13 bytecode (class file version 52), compiled at test time by scalac: every method
 * listed suspendable, rewritten, verified, and run in a fiber that yields at every call to {@link
 * Pause}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ScalaTest {
  private static Shapes shapes;

  @BeforeAll
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  static void compile() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "compilers", "scala"));
    Path source = Path.of("src/test/resources/dev/weft/conformance/compilers/ScalaShapes.scala");
    ForeignCompiler.SCALA.compile(source, work.resolve("classes"));
    ClassLoader loader =
        ForeignClasses.load(
            work.resolve("classes"),
            work.resolve("list"),
            // Scala's lambdas of reference types are called through these interfaces.
            List.of("scala.Function0#apply", "scala.Function1#apply"));
    shapes =
        (Shapes) Class.forName("weft.scala.ScalaShapes", true, loader).getConstructor().newInstance();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "loop|15000000105 32.0 0 1 4 9 16 25",
        "tryFinally|t0f10t1f11t2x2f12",
        "catchAfterResume|after 3/9",
        "match|zeromany7,dog rex3,big dog fido,cat1",
        "defaults|1/11/c0;1/2/c0;1/2/z0;",
        "companion|4/50000000000",
        "object|42",
        "closure|x101x102 102",
        "trait|hi3",
        "localDef|10",
      })
  void shapeKeepsItsValuesAcrossSuspensions(String name, String expected) throws Exception {
    ShapeRun.check(shapes, name, expected);
  }
}
