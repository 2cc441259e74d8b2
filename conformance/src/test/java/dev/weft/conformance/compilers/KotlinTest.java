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
 * Kotlin bytecode, compiled at test time by kotlinc: every method listed suspendable, rewritten,
 * verified, and run in a fiber that yields at every call to {@link Pause}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class KotlinTest {
  private static Shapes shapes;

  @BeforeAll
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  static void compile() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "compilers", "kotlin"));
    Path source = Path.of("src/test/resources/dev/weft/conformance/compilers/KotlinShapes.kt");
    ForeignCompiler.KOTLIN.compile(source, work.resolve("classes"));
    ClassLoader loader =
        ForeignClasses.load(
            work.resolve("classes"),
            work.resolve("list"),
            // Kotlin's non-inline lambdas are called through these interfaces.
            List.of("kotlin.jvm.functions.Function0#invoke", "kotlin.jvm.functions.Function1#invoke"));
    shapes =
        (Shapes) Class.forName("weft.kotlin.KotlinShapes", true, loader).getConstructor().newInstance();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "loop|15000000105 32.0 [0, 1, 4, 9, 16, 25] 3",
        "tryFinally|t0f10t1f11t2f12",
        "catchAfterResume|after 3/9",
        "when|zero,one,two,many3",
        "defaults|1/11/c1;1/2/c1;1/2/z;",
        "companion|4/50000000000",
        "object|42",
        "inline|(7, 14) 2",
        "lambda|102 104 abc3 102",
        "localFun|10",
        "extension|11",
      })
  void shapeKeepsItsValuesAcrossSuspensions(String name, String expected) throws Exception {
    ShapeRun.check(shapes, name, expected);
  }
}
