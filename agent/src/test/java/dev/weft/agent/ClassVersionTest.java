package dev.weft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;

/** The agent handles class files from Java 8 (version 52) to the running JDK's own. */
class ClassVersionTest {
  static final String SOURCE =
      "package versions;\n"
          + "import dev.weft.Suspendable;\n"
          + "public class Sample {\n"
          + "  public interface Op { @Suspendable int apply(int x); }\n"
          + "  @Suspendable static int pause(int x) { return x; }\n"
          + "  @Suspendable public static long work(int n, long l, double d, String s) {\n"
          + "    long r = 0;\n"
          + "    for (int i = 0; i < n; i++) {\n"
          + "      try { r += pause(i) + l; } finally { r += (long) d; }\n"
          + "    }\n"
          + "    Op op = x -> pause(x + s.length());\n"
          + "    return r + op.apply(n) + new StringBuilder(s).append(pause(n)).length();\n"
          + "  }\n"
          + "}\n";

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(ints = {8, 11, 17, 21, 25})
  void rewritesClassFilesOfEveryVersion(int release) throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Runtime.version().feature() >= release, "the running JDK compiles up to its own version");
    Path src = dir.resolve("versions/Sample.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, SOURCE);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc =
        javac.run(null, null, null, "--release", String.valueOf(release), "-cp",
            System.getProperty("java.class.path"), "-d", dir.toString(), src.toString());
    assertEquals(0, rc);
    byte[] bytes = Files.readAllBytes(dir.resolve("versions/Sample.class"));
    assertEquals(44 + release, new ClassReader(bytes).readUnsignedShort(6));
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      byte[] out = new WeftTransformer(null, true, true).transform(loader, "versions/Sample", bytes);
      assertNotNull(out);
      ClassFiles.assertValid(out);
      assertTrue(ClassFiles.instrumented(out).get("work(IJDLjava/lang/String;)J"));
      List<String> lambdas =
          ClassFiles.instrumented(out).keySet().stream().filter(k -> k.startsWith("lambda$")).toList();
      assertEquals(1, lambdas.size());
    }
  }
}
