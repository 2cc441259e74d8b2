package dev.weft.maven;

import dev.weft.agent.cli.Instrument;
import dev.weft.agent.cli.InstrumentException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;

/**
 * Rewrites one directory of compiled classes in place, through a staging directory beside it:
 * the classes are rewritten into the staging directory, and only when that went as the build
 * asked are the changed files moved back. So a build that fails on a class leaves the directory
 * as the compiler wrote it, and the next build fails on it again instead of finding it marked.
 */
final class ClassesInstrumentation {
  private final Path classes;
  private final List<Path> classPath;
  private final boolean all;
  private final List<String> suspendables;
  private final boolean failOnError;
  private final Log log;

  ClassesInstrumentation(
      Path classes,
      List<String> classPathElements,
      boolean all,
      List<String> suspendables,
      boolean failOnError,
      Log log) {
    this.classes = classes;
    this.classPath = existing(classPathElements);
    this.all = all;
    this.suspendables = suspendables == null ? List.of() : List.copyOf(suspendables);
    this.failOnError = failOnError;
    this.log = log;
  }

  /** Entries that exist: Maven names a module's output directory even when nothing was compiled. */
  private static List<Path> existing(List<String> elements) {
    List<Path> paths = new ArrayList<>();
    if (elements != null) {
      for (String e : elements) {
        Path p = Path.of(e);
        if (Files.exists(p)) {
          paths.add(p);
        }
      }
    }
    return paths;
  }

  /** Rewrites the classes; null when there was no directory to rewrite. */
  Instrument.Result run() throws MojoExecutionException, MojoFailureException {
    if (!Files.isDirectory(classes)) {
      log.info("weft: no " + classes + ", nothing to instrument");
      return null;
    }
    Path staging = classes.resolveSibling("weft-" + classes.getFileName());
    try {
      deleteTree(staging); // left by a build that was stopped
      Instrument.Result result =
          new Instrument(classes, staging)
              .all(all)
              .classPath(classPath)
              .suspendables(suspendables)
              .run();
      if (result.failed() > 0 && failOnError) {
        throw new MojoFailureException(failureMessage(result));
      }
      for (String f : result.failures()) {
        log.warn("weft: cannot rewrite " + f + "; written disarmed: a fiber that suspends through"
            + " it fails with an error naming it");
      }
      int moved = moveChanged(staging);
      log.info(result.summary() + " (" + classes + ", " + moved + (moved == 1 ? " file" : " files")
          + " written)");
      return result;
    } catch (InstrumentException e) {
      throw new MojoExecutionException("weft: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoExecutionException("weft: cannot write the rewritten classes into " + classes
          + ": " + e, e);
    } finally {
      try {
        deleteTree(staging);
      } catch (IOException e) {
        log.warn("weft: cannot delete " + staging + ": " + e);
      }
    }
  }

  private String failureMessage(Instrument.Result result) {
    StringBuilder m = new StringBuilder("weft: ")
        .append(result.failed())
        .append(result.failed() == 1 ? " class" : " classes")
        .append(" of ")
        .append(classes)
        .append(" cannot be rewritten:");
    for (String f : result.failures()) {
      m.append("\n  ").append(f);
    }
    return m.append("\nNothing was written. Change those classes, or set <failOnError>false")
        .append("</failOnError> to write such classes disarmed (a fiber that suspends through them")
        .append(" then fails with an error naming them).")
        .toString();
  }

  /**
   * Moves each staged file that differs from the compiled one over it; the others, rewritten
   * before or without suspendable methods, keep their time stamps, so incremental builds see no
   * change.
   */
  private int moveChanged(Path staging) throws IOException {
    List<Path> staged;
    try (Stream<Path> walk = Files.walk(staging)) {
      staged = walk.filter(Files::isRegularFile).toList();
    }
    int moved = 0;
    for (Path s : staged) {
      Path target = classes.resolve(staging.relativize(s).toString());
      if (Files.isRegularFile(target)
          && Arrays.equals(Files.readAllBytes(s), Files.readAllBytes(target))) {
        continue;
      }
      Files.createDirectories(target.getParent());
      Files.move(s, target, StandardCopyOption.REPLACE_EXISTING);
      moved++;
    }
    return moved;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
