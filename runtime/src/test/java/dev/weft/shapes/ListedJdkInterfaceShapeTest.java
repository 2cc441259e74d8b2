package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Weft;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user's program that passes a method reference as a {@code java.util.function.Function} to
 * a suspendable method, run as users run it ({@code java -javaagent:... Main}) in a JVM of its
 * own: without help it fails with the error naming {@code Function.apply} and the call site; with
 * the line {@code java.util.function.Function#apply} in a {@code META-INF/weft/suspendables}
 * resource it suspends and returns the right value.
 *
 * <p>A JVM of its own because the agent's lists apply to every class it loads afterwards: listing
 * a JDK interface here would change what the other tests of this JVM see.
 */
@Timeout(120)
class ListedJdkInterfaceShapeTest {
  private static final String MAIN =
      String.join(
          "\n",
          "package dev.weft.shapes.gen;",
          "",
          "import dev.weft.Suspendable;",
          "import dev.weft.Weft;",
          "import java.util.function.Function;",
          "",
          "public class Main {",
          "  @Suspendable",
          "  static Integer get(Function<String, Integer> f, String k) {",
          "    int before = k.length();",
          "    return f.apply(k) * 100 + before; // the call site",
          "  }",
          "",
          "  @Suspendable",
          "  static Integer slowAnnotated(String k) {",
          "    long kept = 1L << 40;",
          "    Weft.sleep(1);",
          "    return k.length() + (int) (kept >> 40);",
          "  }",
          "",
          "  static Integer slowPlain(String k) {",
          "    Weft.sleep(1);",
          "    return k.length() + 1;",
          "  }",
          "",
          "  public static void main(String[] args) {",
          "    boolean annotated = args[0].equals(\"annotated\");",
          "    Integer r = Weft.call(() -> annotated",
          "        ? get(Main::slowAnnotated, \"abcd\") + get(s -> { Weft.sleep(1); return 0; }, \"\")",
          "        : get(Main::slowPlain, \"abcd\"));",
          "    System.out.println(\"result \" + r);",
          "  }",
          "}",
          "");

  private static final int CALL_SITE_LINE =
      MAIN.substring(0, MAIN.indexOf("// the call site")).split("\n", -1).length;

  @Test
  void withoutTheListLineTheErrorNamesFunctionApplyAndTheCallSite(@TempDir Path dir)
      throws Exception {
    Run run = run(dir, false, "plain");
    assertNotEquals(0, run.exit, run.output);
    assertTrue(
        run.output.contains(
            "dev.weft.shapes.gen.Main.get(Main.java:"
                + CALL_SITE_LINE
                + ") calls java.util.function.Function.apply, which is not suspendable"),
        run.output);
    assertTrue(run.output.contains("dev.weft.SuspendableFunction"), run.output);
    assertTrue(run.output.contains("java.util.function.Function#apply"), run.output);
  }

  @Test
  void withTheListLineASuspendableMethodReferenceSuspends(@TempDir Path dir) throws Exception {
    Run run = run(dir, true, "annotated");
    assertEquals(0, run.exit, run.output);
    assertTrue(run.output.contains("result 504"), run.output);
  }

  @Test
  void withTheListLineAPlainMethodReferenceSuspends(@TempDir Path dir) throws Exception {
    Run run = run(dir, true, "plain");
    assertEquals(0, run.exit, run.output);
    assertTrue(run.output.contains("result 504"), run.output);
  }

  private static final class Run {
    final int exit;
    final String output;

    Run(int exit, String output) {
      this.exit = exit;
      this.output = output;
    }
  }

  private static Run run(Path dir, boolean listed, String variant) throws Exception {
    Path classes = ShapeCompiler.compile(dir, ShapeCompiler.writeSource(dir, "Main", MAIN), 17);
    List<String> classPath = new ArrayList<>();
    classPath.add(classes.toString());
    classPath.add(Path.of(Weft.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString());
    if (listed) {
      Path list = dir.resolve("list/META-INF/weft/suspendables");
      Files.createDirectories(list.getParent());
      Files.writeString(list, "# Function is a JDK interface: list its method\n"
          + "java.util.function.Function#apply\n");
      classPath.add(dir.resolve("list").toString());
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(agentOption());
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classPath));
    command.add(ShapeCompiler.PACKAGE + ".Main");
    command.add(variant);
    Path output = dir.resolve("output.txt");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the program did not end: " + Files.readString(output));
    }
    return new Run(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  /** The {@code -javaagent} option this JVM was started with: the real, shaded agent. */
  private static String agentOption() throws IOException {
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-javaagent:")) {
        return arg;
      }
    }
    throw new IOException("these tests run under the agent, but no -javaagent option was found");
  }
}
