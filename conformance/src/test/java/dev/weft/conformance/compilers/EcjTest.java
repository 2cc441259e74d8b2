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
 * Java compiled by the Eclipse compiler, whose bytecode differs from javac's (finally blocks,
 * string and enum switches, lambdas): every method listed suspendable, rewritten, verified, and
 * run in a fiber that yields at every call to {@link Pause}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EcjTest {
  private static Shapes shapes;

  @BeforeAll
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  static void compile() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "compilers", "ecj"));
    Path source = Path.of("src/test/resources/dev/weft/conformance/compilers/EcjShapes.java");
    ForeignCompiler.ECJ.compile(source, work.resolve("classes"));
    ClassLoader loader = ForeignClasses.load(work.resolve("classes"), work.resolve("list"), List.of());
    shapes = (Shapes) Class.forName("weft.ecj.EcjShapes", true, loader).getConstructor().newInstance();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "loop|15000000105 32.0 0 1 4 9 16 25",
        "tryFinally|t0f10t1f11t2f12",
        "switches|r1g2b3two40",
        "lambda|101 42 100",
        "constructor|11",
        "inner|41",
        "varargs|6",
      })
  void shapeKeepsItsValuesAcrossSuspensions(String name, String expected) throws Exception {
    ShapeRun.check(shapes, name, expected);
  }
}
