package dev.weft.doccheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The check on a made-up checkout with what it must catch: it fails, naming page and line. */
class DocCheckFailsTest {

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static void assertHas(List<String> problems, String start, String part) {
    assertTrue(
        problems.stream().anyMatch(p -> p.startsWith(start) && p.contains(part)),
        () -> "no problem at " + start + " with \"" + part + "\" in:\n" + String.join("\n", problems));
  }

  @Test
  @Timeout(300)
  void aBlockThatDoesNotCompileOrRunFailsTheCheckAtItsLine(@TempDir Path root, @TempDir Path work)
      throws IOException {
    write(
        root.resolve("README.md"),
        String.join(
            "\n",
            "# A page", //                                            1
            "",
            "```java fragment",
            "Channel<String> c = Channel.make();",
            "int n = c.receive();", //                               5: a String is not an int
            "```",
            "",
            "```java",
            "import dev.weft.*;",
            "public class Main {", //                                 10
            "  public static void main(String[] args) {",
            "    Weft.run(() -> relay(Channel.make()));",
            "  }",
            "  @Suspendable static void relay(Channel<String> in) {",
            "    in.forEach(System.out::println);", //                15: forEach throws Exception
            "  }",
            "}",
            "```",
            "",
            "```java", //                                            20
            "public class Fails {",
            "  public static void main(String[] args) { System.exit(3); }",
            "}",
            "```",
            "",
            "```java fragmnet", //                                   26
            "anything",
            "```",
            "",
            "```java illustration",
            "this is not Java",
            "```",
            ""));
    write(
        root.resolve("docs/good.md"),
        "```java fragment\n@Suspendable static long twice(long x) { return 2 * x; }\n```\n"
            + "```java fragment\nimport java.nio.file.Path;\n\nPath p = Path.of(\"x\");\n```\n"
            + "```java\nimport dev.weft.*;\npublic class Good {\n  public static void main(String[] a) {\n"
            + "    Weft.run(() -> { Channel<Integer> c = Channel.make(1); c.send(1); System.out.println(c.receive()); });\n"
            + "  }\n}\n```\n");
    List<String> problems = TestSetup.check(root, work).blocks();
    assertHas(problems, "README.md:5: ", "incompatible types");
    assertHas(problems, "README.md:15: ", "unreported exception");
    assertHas(problems, "README.md:21: ", "Fails exited with status 3");
    assertHas(problems, "README.md:26: ", "unknown marker `fragmnet`");
    assertEquals(4, problems.size(), () -> String.join("\n", problems));
  }

  @Test
  @Timeout(60)
  void anUndocumentedOrUnknownSettingFailsTheCheck(@TempDir Path root, @TempDir Path work)
      throws IOException {
    write(
        root.resolve("runtime/src/main/java/dev/weft/Knobs.java"),
        "package dev.weft;\nclass Knobs {\n  static String a = System.getProperty(\"weft.documented\");\n"
            + "  static String b = System.getProperty(\"weft.secret\");\n}\n");
    write(root.resolve("runtime/pom.xml"), "<project/>\n");
    write(
        root.resolve("docs/configuration.md"),
        "| setting | default |\n|---|---|\n| `-Dweft.documented=N` | 1 |\n| `verbose` | off |\n"
            + "| `verify` | off |\n| `-Dweft.gone` | 2 |\n");
    write(
        root.resolve("README.md"),
        "Run with `-Dweft.documented=2`.\nOr `-Dweft.imagined=true`, `dev.weft.Channel`, docs/weft.md.\n"
            + "Or -javaagent:weft-agent.jar=verbose,loud\n");
    List<String> problems = TestSetup.check(root, work).settings();
    assertHas(problems, "runtime/src/main/java/dev/weft/Knobs.java:4: ", "weft.secret is read here but");
    assertHas(problems, "README.md:2: ", "weft.imagined is named here but no code");
    assertHas(problems, "README.md:3: ", "no argument `loud`");
    assertHas(problems, "docs/configuration.md", "`nopreempt` has no row");
    assertHas(problems, "docs/configuration.md:6: ", "weft.gone is documented but");
    assertHas(problems, "docs/configuration.md:6: ", "weft.gone is named here but");
    assertEquals(6, problems.size(), () -> String.join("\n", problems));
  }

  @Test
  @Timeout(60)
  void aFigureThatDoesNotSayWhereItCameFromFailsTheCheck(@TempDir Path root, @TempDir Path work)
      throws IOException {
    write(root.resolve("docs/diagrams/made.py"), "print()\n");
    write(
        root.resolve("docs/figures.md"),
        String.join(
            "\n",
            "![made](images/made.svg)",
            "(Generated by `python3 docs/diagrams/made.py`.)",
            "![unsaid](images/unsaid.svg)", //                         3
            "",
            "",
            "",
            "![gone](images/gone.svg)", //                              7
            "(Generated by `python3 docs/diagrams/gone.py`.)",
            "<!-- generated by bench/made.sh -->", //                   9: a section's comment
            "![section](images/section.png)", //                       10
            ""));
    List<String> problems = TestSetup.check(root, work).figures();
    assertHas(problems, "docs/figures.md:3: ", "does not say which command made it");
    assertHas(problems, "docs/figures.md:7: ", "docs/diagrams/gone.py, which does not exist");
    assertHas(problems, "docs/figures.md:10: ", "bench/made.sh, which does not exist");
    assertEquals(3, problems.size(), () -> String.join("\n", problems));
  }
}
