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
 * Statically compiled Groovy ({@code @CompileStatic}), compiled at test time by groovyc: every
 * method listed suspendable, rewritten, verified, and run in a fiber that yields at every call to
 * {@link Pause}. Dynamic Groovy is out of reach: its calls go through the Groovy runtime.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GroovyTest {
  private static Shapes shapes;

  @BeforeAll
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  static void compile() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "compilers", "groovy"));
    Path source = Path.of("src/test/resources/dev/weft/conformance/compilers/GroovyShapes.groovy");
    ForeignCompiler.GROOVY.compile(source, work.resolve("classes"));
    ClassLoader loader = ForeignClasses.load(work.resolve("classes"), work.resolve("list"), List.of());
    shapes =
        (Shapes) Class.forName("weft.groovy.GroovyShapes", true, loader).getConstructor().newInstance();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "loop|15000000105 32.0 [0, 1, 4, 9, 16, 25] 3",
        "tryFinally|t0f10t1f11t2f12",
        "catchAfterResume|after 3/9",
        "switch|'zero,one,many20,many30,'",
        "defaults|1/11;1/2;",
        "static|42",
        "gstring|a=2 b=3",
      })
  void shapeKeepsItsValuesAcrossSuspensions(String name, String expected) throws Exception {
    ShapeRun.check(shapes, name, expected);
  }
}
