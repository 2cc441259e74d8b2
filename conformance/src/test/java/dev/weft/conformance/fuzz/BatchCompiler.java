package dev.weft.conformance.fuzz;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles many generated programs as nested classes of one top-level class, in one javac run:
 * compiling is what a program costs most, and a batch shares it. The source stays in memory; the
 * class files go to a directory, so that the agent can read a callee's bytes from the class loader
 * as it reads any application class.
 *
 * <pre>{@code
 * Path classes = BatchCompiler.compile(dir, "Batch0", List.of(source0, source1));
 * }</pre>
 */
final class BatchCompiler {
  static final String PACKAGE = "dev.weft.conformance.fuzz.gen";

  private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

  private BatchCompiler() {}

  /** Thrown when a batch does not compile: the writer wrote an invalid program. */
  static final class CompileError extends Exception {
    private static final long serialVersionUID = 1L;

    CompileError(String diagnostics) {
      super(diagnostics);
    }
  }

  /** The whole source file of a batch. */
  static String source(String batchName, List<String> programs) {
    StringBuilder s = new StringBuilder();
    s.append("package ").append(PACKAGE).append(";\n\n");
    s.append("import dev.weft.Suspendable;\n");
    s.append("import dev.weft.SuspendableCallable;\n");
    s.append("import dev.weft.conformance.fuzz.FuzzException;\n");
    s.append("import dev.weft.conformance.fuzz.SuspendPoint;\n\n");
    s.append("public final class ").append(batchName).append(" {\n");
    for (String p : programs) {
      s.append(p).append('\n');
    }
    return s.append("}\n").toString();
  }

  /** Compiles {@code programs} into {@code dir} as {@code batchName} and returns {@code dir}. */
  static Path compile(Path dir, String batchName, List<String> programs)
      throws IOException, CompileError {
    if (JAVAC == null) {
      throw new IllegalStateException("the fuzzer needs a JDK, not a JRE");
    }
    Files.createDirectories(dir);
    String text = source(batchName, programs);
    JavaFileObject file =
        new SimpleJavaFileObject(
            URI.create("string:///" + PACKAGE.replace('.', '/') + "/" + batchName + ".java"),
            JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
          }
        };
    List<String> options =
        List.of(
            "--release", "17",
            "-proc:none",
            "-classpath", System.getProperty("java.class.path"),
            "-d", dir.toString());
    StringWriter diagnostics = new StringWriter();
    try (StandardJavaFileManager files =
        JAVAC.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      if (!JAVAC.getTask(diagnostics, files, null, options, null, List.of(file)).call()) {
        throw new CompileError(diagnostics.toString());
      }
    }
    return dir;
  }
}
