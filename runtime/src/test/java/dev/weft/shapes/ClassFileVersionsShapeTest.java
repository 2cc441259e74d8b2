package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Class files of every version the agent must handle (52 to 69): shape sources kept under {@code
 * shapes-src/} are compiled at test time with {@code --release 8}, 11, 17, and 21 and 25 when the
 * running JDK supports them, loaded through a fresh class loader (the agent rewrites them as they
 * load), and run in fibers. A generated class with hundreds of locals covers the {@code wide}
 * forms of the load, store and increment instructions.
 */
class ClassFileVersionsShapeTest extends ShapeTest {
  private static final String COMMON_EXPECTED =
      "inner=7;lambda="
          + ((1L << 40) + 3)
          + ";anon=s;bridge=42;varargs=6;ctor=(x,(3,"
          + Long.MIN_VALUE
          + "));caught=boom1;finally;switch=AB?;locals="
          + Long.MIN_VALUE
          + ",-0.0,3,s";

  @TempDir Path dir;

  static Stream<Integer> releases() {
    int feature = Runtime.version().feature();
    return Stream.of(8, 11, 17, 21, 25).filter(r -> r <= feature);
  }

  static Stream<Arguments> languageLevels() {
    int feature = Runtime.version().feature();
    List<Arguments> levels = new ArrayList<>();
    levels.add(
        Arguments.of(
            "java17",
            "Java17Shapes",
            17,
            "round=12.0;square=9.0;Local[a=1, b=b];other;text|block"));
    if (feature >= 21) {
      levels.add(
          Arguments.of("java21", "Java21Shapes", 21, "14;0;null;big 42;small 7;S;other"));
    }
    if (feature >= 25) {
      levels.add(Arguments.of("java25", "Java25Shapes", 25, "1104;42"));
    }
    return levels.stream();
  }

  @ParameterizedTest(name = "--release {0}")
  @MethodSource("releases")
  void commonShapesCompiledForEachRelease(int release) throws Exception {
    Path source = ShapeCompiler.copySource(dir, "common", "CommonShapes");
    assertEquals(COMMON_EXPECTED, compileLoadAndRun(source, "CommonShapes", release));
  }

  @Test
  void commonShapesWithoutDebugInformation() throws Exception {
    // No line numbers, no local variable tables: the agent cannot lean on them.
    Path source = ShapeCompiler.copySource(dir, "common", "CommonShapes");
    assertEquals(
        COMMON_EXPECTED, compileLoadAndRun(source, "CommonShapes", 17, "-g:none"));
  }

  @ParameterizedTest(name = "{0} (--release {2})")
  @MethodSource("languageLevels")
  void shapesOfNewerLanguageLevels(String dirName, String className, int release, String expected)
      throws Exception {
    Path source = ShapeCompiler.copySource(dir, dirName, className);
    assertEquals(expected, compileLoadAndRun(source, className, release));
  }

  /**
   * Before nestmates (Java 11), a call to another class's private method goes through a static
   * {@code access$NNN} the compiler adds to the callee's class. The caller is usually loaded
   * first, when the accessor's class is known only from its file: the accessor must be found
   * suspendable from its code, not only once its own class has been rewritten.
   */
  @ParameterizedTest(name = "{0} loaded first")
  @MethodSource("accessorLoadOrders")
  void java8OuterCallsPrivateSuspendableMethodOfItsInnerClass(String firstLoaded)
      throws Exception {
    String src =
        "package dev.weft.shapes.gen;\n"
            + "import dev.weft.Suspendable;\n"
            + "import dev.weft.shapes.Pause;\n"
            + "public class OuterCallsInner implements dev.weft.SuspendableCallable<String> {\n"
            + "  static final class Inner {\n"
            + "    private long base = 40;\n"
            + "    @Suspendable private long work(int x, String s) {\n"
            + "      Pause.here();\n"
            + "      return base + x + Pause.i(s.length());\n"
            + "    }\n"
            + "    @Suspendable private static String twice(String s) {\n"
            + "      Pause.sleep();\n"
            + "      return s + s;\n"
            + "    }\n"
            + "  }\n"
            + "  @Override public String call() {\n"
            + "    Inner in = new Inner();\n"
            + "    long got = in.work(1, \"x\");\n"
            + "    return got + \",\" + Inner.twice(\"ab\");\n"
            + "  }\n"
            + "}\n";
    Path source = ShapeCompiler.writeSource(dir, "OuterCallsInner", src);
    Path classes = ShapeCompiler.compile(dir, source, 8);
    assertTrue(
        Files.exists(classes.resolve("dev/weft/shapes/gen/OuterCallsInner$Inner.class")),
        "javac wrote the inner class");
    Object result =
        ShapeCompiler.run(classes, "OuterCallsInner", ShapeCompiler.PACKAGE + "." + firstLoaded);
    assertEquals("42,abab", result);
  }

  static Stream<String> accessorLoadOrders() {
    return Stream.of("OuterCallsInner", "OuterCallsInner$Inner");
  }

  @Test
  void hundredsOfLocalsNeedWideInstructions() throws Exception {
    int n = 100;
    Path source = ShapeCompiler.writeSource(dir, "WideLocals", wideLocalsSource(n));
    assertEquals(wideLocalsExpected(n), compileLoadAndRun(source, "WideLocals", 17));
  }

  /**
   * A method whose longs, doubles and strings come first, so that its ints live above slot 255
   * and are read, written and incremented with {@code wide} instructions across suspensions.
   */
  private static String wideLocalsSource(int n) {
    StringBuilder s = new StringBuilder();
    s.append("package dev.weft.shapes.gen;\n")
        .append("import dev.weft.SuspendableCallable;\n")
        .append("import dev.weft.shapes.Pause;\n")
        .append("public class WideLocals implements SuspendableCallable<String> {\n")
        .append("  @Override public String call() {\n");
    for (int i = 0; i < n; i++) {
      s.append("    long l").append(i).append(" = ").append(i).append(" * 1_000_000_007L;\n");
    }
    for (int i = 0; i < n / 2; i++) {
      s.append("    double d").append(i).append(" = ").append(i).append(" + 0.5;\n");
      s.append("    String s").append(i).append(" = \"s").append(i).append("\";\n");
    }
    for (int i = 0; i < n; i++) {
      s.append("    int v").append(i).append(" = ").append(i * 7).append(";\n");
    }
    s.append("    Pause.here();\n");
    for (int i = 0; i < n; i++) {
      s.append("    v").append(i).append(" += 1000;\n");
    }
    s.append("    v").append(n - 1).append(" = Pause.i(v").append(n - 1).append(");\n");
    s.append("    l").append(n - 1).append(" = Pause.j(l").append(n - 1).append(");\n");
    s.append("    Pause.sleep();\n");
    s.append("    long sumInt = 0;\n    long sumLong = 0;\n    double sumDouble = 0;\n");
    s.append("    int length = 0;\n");
    for (int i = 0; i < n; i++) {
      s.append("    sumInt += v").append(i).append(";\n");
      s.append("    sumLong += l").append(i).append(";\n");
    }
    for (int i = 0; i < n / 2; i++) {
      s.append("    sumDouble += d").append(i).append(";\n");
      s.append("    length += s").append(i).append(".length();\n");
    }
    s.append("    Pause.here();\n");
    s.append("    return sumInt + \":\" + sumLong + \":\" + sumDouble + \":\" + length;\n");
    s.append("  }\n}\n");
    return s.toString();
  }

  private static String wideLocalsExpected(int n) {
    long sumInt = 0;
    long sumLong = 0;
    double sumDouble = 0;
    int length = 0;
    for (int i = 0; i < n; i++) {
      sumInt += i * 7 + 1000;
      sumLong += i * 1_000_000_007L;
    }
    for (int i = 0; i < n / 2; i++) {
      sumDouble += i + 0.5;
      length += ("s" + i).length();
    }
    return sumInt + ":" + sumLong + ":" + sumDouble + ":" + length;
  }

  private String compileLoadAndRun(Path source, String className, int release, String... extra)
      throws Exception {
    Path classes = ShapeCompiler.compile(dir, source, release, extra);
    return String.valueOf(ShapeCompiler.run(classes, className));
  }
}
