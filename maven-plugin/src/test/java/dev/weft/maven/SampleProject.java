package dev.weft.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Weft;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * A small project as Maven leaves it after compiling: {@code target/classes} and {@code
 * target/test-classes}, compiled in the test from sources under {@code src/it}, with weft-runtime
 * as its one dependency.
 */
final class SampleProject {
  final Path classes;
  final Path testClasses;

  private SampleProject(Path classes, Path testClasses) {
    this.classes = classes;
    this.testClasses = testClasses;
  }

  /** The sources of a sample under {@code src/it} of this module. */
  static Path sources(String sample) {
    return Path.of(System.getProperty("basedir", "."), "src", "it", sample);
  }

  /** Compiles {@code main/} into {@code dir/target/classes} and {@code test/}, if any, beside. */
  static SampleProject compile(Path sources, Path dir) throws IOException {
    Path target = dir.resolve("target");
    Path classes = target.resolve("classes");
    Path testClasses = target.resolve("test-classes");
    javac(sources.resolve("main"), classes, List.of(runtime()));
    if (Files.isDirectory(sources.resolve("test"))) {
      javac(sources.resolve("test"), testClasses, List.of(classes, runtime()));
    }
    return new SampleProject(classes, testClasses);
  }

  /**
   * Compiles one main source file again, alone, as an incremental build does after an edit: the
   * other classes it is compiled against are the ones in {@code target/classes}, rewritten or not.
   */
  void recompile(Path sources, String file) throws IOException {
    javacFiles(List.of(sources.resolve("main").resolve(file)), classes, List.of(classes, runtime()));
  }

  /** A copy of this project's target directory under {@code dir}, to rewrite without touching it. */
  SampleProject copyTo(Path dir) throws IOException {
    Path target = classes.getParent();
    Path copy = dir.resolve("target");
    try (Stream<Path> walk = Files.walk(target)) {
      for (Path p : walk.sorted().toList()) {
        Path to = copy.resolve(target.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    return new SampleProject(copy.resolve("classes"), copy.resolve("test-classes"));
  }

  /** Maven's compile class path: the output directory first, then the dependencies. */
  List<String> compileClassPath() {
    return List.of(classes.toString(), runtime().toString());
  }

  /** Maven's test class path: the test output, the main output, then the dependencies. */
  List<String> testClassPath() {
    return List.of(testClasses.toString(), classes.toString(), runtime().toString());
  }

  /** weft-runtime's classes, as this module's tests see them (a directory or a jar). */
  static Path runtime() {
    try {
      return Path.of(Weft.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void javac(Path sources, Path out, List<Path> classPath) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    javacFiles(files, out, classPath);
  }

  private static void javacFiles(List<Path> files, Path out, List<Path> classPath) throws IOException {
    List<String> args = new ArrayList<>();
    args.add("-d");
    args.add(out.toString());
    args.add("-cp");
    args.add(String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList()));
    files.forEach(f -> args.add(f.toString()));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, new PrintStream(err, true, StandardCharsets.UTF_8), args.toArray(new String[0]));
    assertEquals(0, status, "javac " + files + ":\n" + err.toString(StandardCharsets.UTF_8));
  }
}
