package dev.weft.conformance.fuzz;

import dev.weft.SuspendableCallable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes programs for a range of seeds, compiles them in batches, loads each batch through a new
 * class loader (so the agent rewrites every class as it loads) and checks every program with a
 * {@link DifferentialRun}. A program that fails is shrunk by {@link Shrinker}.
 *
 * <pre>{@code
 * try (Fuzzer f = new Fuzzer(workDir)) {
 *   List<Fuzzer.Failure> failures = f.run(0, 1000, 50, deadlineNanos);
 * }
 * }</pre>
 */
final class Fuzzer implements AutoCloseable {
  /** A program whose runs disagreed. */
  static final class Failure {
    final long seed;
    final String difference;
    final int[] choices;
    final String source;

    Failure(long seed, String difference, int[] choices, String source) {
      this.seed = seed;
      this.difference = difference;
      this.choices = choices;
      this.source = source;
    }

    @Override
    public String toString() {
      return "seed " + seed + ": " + difference + "\n" + source;
    }
  }

  /** A program written and ready to compile. */
  static final class Written {
    final long seed;
    final String className;
    final int[] choices;
    final String source;

    Written(long seed, String className, Choices choices) {
      this.seed = seed;
      this.className = className;
      this.source = ProgramWriter.write(className, choices);
      this.choices = choices.recorded();
    }
  }

  private final Path workDir;
  private final DifferentialRun runner = new DifferentialRun();
  private int batches;
  /** Programs checked so far. */
  long checked;
  /** Time spent compiling and running, for the report. */
  long compileNanos;
  long runNanos;

  Fuzzer(Path workDir) {
    this.workDir = workDir;
  }

  /**
   * Checks the programs of seeds {@code [first, first + count)}, {@code batchSize} to a class,
   * until done or {@code deadline} ({@link System#nanoTime()}); returns the failures, unshrunk.
   */
  List<Failure> run(long first, long count, int batchSize, long deadline) {
    List<Failure> failures = new ArrayList<>();
    for (long s = first; s < first + count && System.nanoTime() < deadline; s += batchSize) {
      List<Written> batch = new ArrayList<>();
      for (long seed = s; seed < Math.min(first + count, s + batchSize); seed++) {
        batch.add(new Written(seed, "P" + seed, Choices.seeded(seed)));
      }
      failures.addAll(check(batch));
    }
    return failures;
  }

  /** Compiles and checks {@code batch}; a batch that does not compile is checked one by one. */
  List<Failure> check(List<Written> batch) {
    List<Failure> failures = new ArrayList<>();
    String batchName = "Batch" + batches++;
    Path dir = workDir.resolve(batchName);
    List<String> sources = new ArrayList<>();
    batch.forEach(w -> sources.add(w.source));
    long start = System.nanoTime();
    try {
      BatchCompiler.compile(dir, batchName, sources);
      compileNanos += System.nanoTime() - start;
    } catch (BatchCompiler.CompileError e) {
      if (batch.size() == 1) {
        Written w = batch.get(0);
        failures.add(new Failure(w.seed, "does not compile:\n" + e.getMessage(), w.choices,
            w.source));
        return failures;
      }
      for (Written w : batch) {
        failures.addAll(check(List.of(w)));
      }
      return failures;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, Fuzzer.class.getClassLoader())) {
      for (Written w : batch) {
        long t = System.nanoTime();
        String difference = checkOne(loader, batchName, w);
        runNanos += System.nanoTime() - t;
        checked++;
        if (difference != null) {
          failures.add(new Failure(w.seed, difference, w.choices, w.source));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      delete(dir);
    }
    return failures;
  }

  private String checkOne(ClassLoader loader, String batchName, Written w) {
    SuspendableCallable<Long> program;
    try {
      Class<?> c = Class.forName(BatchCompiler.PACKAGE + "." + batchName + "$" + w.className,
          true, loader);
      @SuppressWarnings("unchecked")
      SuspendableCallable<Long> p =
          (SuspendableCallable<Long>) c.getDeclaredConstructor().newInstance();
      program = p;
    } catch (ReflectiveOperationException | LinkageError e) {
      return "cannot load: " + e;
    }
    return runner.check(program, w.seed);
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
  }

  @Override
  public void close() {
    runner.close();
  }
}
