package dev.weft.doccheck;

import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles a block's units with the JDK's compiler, for Java 17 (the oldest Java Weft supports),
 * against a class path, and says what failed at which line of the page.
 */
final class BlockCompiler {
  private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
  private final String classPath;

  BlockCompiler(String classPath) {
    this.classPath = classPath;
  }

  /** The compiler's errors, each as {@code page:line: message}; empty when the units compiled. */
  List<String> compile(CodeBlock block, List<SourceUnit> units, Path out) {
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      Files.createDirectories(out);
      files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(out));
      List<Source> sources = new ArrayList<>();
      for (SourceUnit u : units) {
        sources.add(new Source(u));
      }
      List<String> options =
          List.of("--release", "17", "-proc:none", "-implicit:none", "-classpath", classPath);
      javac.getTask(new StringWriter(), files, diagnostics, options, null, sources).call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return errors(block, diagnostics);
  }

  /** Whether the units parse, before any name or type is looked at. */
  boolean parses(List<SourceUnit> units) {
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<Source> sources = new ArrayList<>();
    for (SourceUnit u : units) {
      sources.add(new Source(u));
    }
    JavacTask task =
        (JavacTask) javac.getTask(new StringWriter(), null, diagnostics, List.of("-proc:none"), null, sources);
    try {
      task.parse();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return diagnostics.getDiagnostics().stream().noneMatch(d -> d.getKind() == Diagnostic.Kind.ERROR);
  }

  private static List<String> errors(CodeBlock block, DiagnosticCollector<JavaFileObject> diagnostics) {
    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      String where = block.page() + ":" + block.firstLine();
      if (d.getSource() instanceof Source s && d.getLineNumber() > 0) {
        long index = d.getLineNumber() - 1 - s.unit.linesBefore();
        // A wrapper's own line (its closing brace, say) is blamed on the block's first line.
        where = block.at((int) Math.max(0, Math.min(index, block.text().split("\n", -1).length - 1)));
      }
      errors.add(where + ": " + d.getMessage(Locale.ROOT).replace('\n', ' '));
    }
    return errors;
  }

  /** A unit's text as the compiler's input. */
  private static final class Source extends SimpleJavaFileObject {
    final SourceUnit unit;

    Source(SourceUnit unit) {
      super(URI.create("string:///" + unit.fileName()), Kind.SOURCE);
      this.unit = unit;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return unit.text();
    }
  }
}
