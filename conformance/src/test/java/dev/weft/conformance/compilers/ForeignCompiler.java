package dev.weft.conformance.compilers;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.weft.conformance.corpus.TestClassPath;

/**
 * A compiler other than javac, from Maven Central, run in a child JVM (so that its own classes
 * are not loaded under the agent) on one source file of the test resources.
 */
enum ForeignCompiler {
  KOTLIN("org.jetbrains.kotlin.cli.jvm.K2JVMCompiler", "kotlin-stdlib-") {
    @Override
    List<String> arguments(String classPath, Path source, Path out) {
      return List.of(
          "-no-stdlib", "-no-reflect", "-jvm-target", "17", "-classpath", classPath,
          "-d", out.toString(), source.toString());
    }
  },
  SCALA("scala.tools.nsc.Main", "scala-library-") {
    @Override
    List<String> arguments(String classPath, Path source, Path out) {
      return List.of("-classpath", classPath, "-d", out.toString(), source.toString());
    }
  },
  GROOVY("org.codehaus.groovy.tools.FileSystemCompiler", "groovy-") {
    @Override
    List<String> arguments(String classPath, Path source, Path out) {
      return List.of("-cp", classPath, "-d", out.toString(), source.toString());
    }
  },
  ECJ("org.eclipse.jdt.internal.compiler.batch.Main", null) {
    @Override
    List<String> arguments(String classPath, Path source, Path out) {
      return List.of(
          "-17", "-nowarn", "-cp", classPath, "-d", out.toString(), source.toString());
    }
  };

  private final String mainClass;
  private final String libraryPrefix;

  ForeignCompiler(String mainClass, String libraryPrefix) {
    this.mainClass = mainClass;
    this.libraryPrefix = libraryPrefix;
  }

  abstract List<String> arguments(String classPath, Path source, Path out);

  /** Compiles the source against weft-runtime, these tests' classes and the language's library. */
  void compile(Path source, Path out) throws Exception {
    Files.createDirectories(out);
    List<String> testClassPath = TestClassPath.entries();
    List<String> compileClassPath = new ArrayList<>();
    for (String e : testClassPath) {
      String n = e.replace(File.separatorChar, '/');
      boolean library =
          libraryPrefix != null && n.substring(n.lastIndexOf('/') + 1).startsWith(libraryPrefix);
      if (library || n.endsWith("/test-classes") || n.contains("/runtime/target/")) {
        compileClassPath.add(e);
      }
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(String.join(File.pathSeparator, testClassPath));
    command.add(mainClass);
    command.addAll(arguments(String.join(File.pathSeparator, compileClassPath), source, out));
    Path log = out.resolveSibling(out.getFileName() + "-compiler.log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(this + " did not finish compiling " + source);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          this + " failed on " + source + " (exit " + p.exitValue() + "):\n" + Files.readString(log));
    }
  }
}
