package dev.weft.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.agent.cli.Instrument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The goals on small sample projects compiled here, as Maven would run them after {@code
 * compile} and {@code test-compile}: the rewritten programs then run in a JVM without {@code
 * -javaagent}, and a class that cannot be rewritten fails the build naming it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InstrumentGoalsTest {
  private static final String AUDIT = "sample.Audit#record";

  /** weft-runtime rewritten once for all the runs (a no-op once it ships rewritten). */
  @TempDir static Path shared;
  private static Path runtime;
  /** The samples compiled once; each test rewrites a copy. */
  private static SampleProject compiledPipeline;
  private static SampleProject compiledHuge;

  @TempDir Path dir;
  private final RecordingLog log = new RecordingLog();

  @BeforeAll
  static void rewriteTheRuntimeAndCompileTheSample() throws Exception {
    runtime = shared.resolve("runtime");
    Instrument.Result r = new Instrument(SampleProject.runtime(), runtime).run();
    assertEquals(0, r.failed(), r.failures().toString());
    compiledPipeline = SampleProject.compile(SampleProject.sources("pipeline"), shared.resolve("pipeline"));
    compiledHuge = SampleProject.compile(huge(shared.resolve("huge-src")), shared.resolve("huge"));
  }

  private SampleProject pipeline() throws IOException {
    return compiledPipeline.copyTo(dir);
  }

  private InstrumentMojo instrument(SampleProject p, List<String> suspendables) {
    InstrumentMojo mojo = new InstrumentMojo();
    mojo.classesDirectory = p.classes.toFile();
    mojo.classpathElements = p.compileClassPath();
    mojo.suspendables = suspendables;
    mojo.failOnError = true; // the default in a build
    mojo.setLog(log);
    return mojo;
  }

  private InstrumentTestsMojo instrumentTests(SampleProject p, List<String> suspendables) {
    InstrumentTestsMojo mojo = new InstrumentTestsMojo();
    mojo.testClassesDirectory = p.testClasses.toFile();
    mojo.testClasspathElements = p.testClassPath();
    mojo.suspendables = suspendables;
    mojo.failOnError = true;
    mojo.setLog(log);
    return mojo;
  }

  @Test
  void theRewrittenProgramRunsWithoutTheAgentAndSuspendsCorrectly() throws Exception {
    SampleProject p = pipeline();
    instrument(p, List.of(AUDIT)).execute();
    assertTrue(log.infos.stream().anyMatch(l -> l.matches(
        "weft instrument: 3 rewritten, 1 unchanged, 0 failed in \\d+ ms \\(.*classes, 3 files written\\)")),
        log.infos.toString());
    // checkPath: every suspension walks the stack and fails on any frame that was not rewritten.
    ChildJvm run = ChildJvm.run(dir, List.of(p.classes, runtime), "sample.Pipeline", "-Dweft.checkPath=true");
    assertEquals(0, run.exit(), run.toString());
    assertEquals("sum 338350, audited 100", run.out().strip(), run.toString());
  }

  @Test
  void theSuspendablesParameterIsWhatMakesTheUnannotatedMethodSuspendable() throws Exception {
    SampleProject p = pipeline();
    instrument(p, null).execute();
    ChildJvm run = ChildJvm.run(dir, List.of(p.classes, runtime), "sample.Pipeline");
    assertTrue(run.exit() != 0, run.toString());
    assertTrue(run.err().contains("UninstrumentedFrameError: sample.Audit.record"), run.toString());
  }

  @Test
  void aSecondRunLeavesTheRewrittenClassesAlone() throws Exception {
    SampleProject p = pipeline();
    instrument(p, List.of(AUDIT)).execute();
    Map<String, byte[]> first = files(p.classes);
    Map<String, FileTime> times = times(p.classes);
    log.infos.clear();
    instrument(p, List.of(AUDIT)).execute();
    assertTrue(log.infos.stream().anyMatch(l -> l.startsWith("weft instrument: 0 rewritten, 4 unchanged, 0 failed")
        && l.endsWith(", 0 files written)")), log.infos.toString());
    Map<String, byte[]> second = files(p.classes);
    assertEquals(first.keySet(), second.keySet());
    first.forEach((f, bytes) -> assertArrayEquals(bytes, second.get(f), f));
    assertEquals(times, times(p.classes), "untouched, so incremental builds see no change");
  }

  @Test
  void aClassCompiledAgainAfterAnEditIsRewrittenAndTheOthersLeftAlone() throws Exception {
    SampleProject p = pipeline();
    instrument(p, List.of(AUDIT)).execute();
    // Square alone is compiled anew, against the rewritten Stage and Pipeline.
    p.recompile(SampleProject.sources("pipeline"), "sample/Square.java");
    log.infos.clear();
    instrument(p, List.of(AUDIT)).execute();
    assertTrue(log.infos.stream().anyMatch(l -> l.startsWith("weft instrument: 1 rewritten, 3 unchanged, 0 failed")
        && l.endsWith(", 1 file written)")), log.infos.toString());
    ChildJvm run = ChildJvm.run(dir, List.of(p.classes, runtime), "sample.Pipeline", "-Dweft.checkPath=true");
    assertEquals(0, run.exit(), run.toString());
    assertEquals("sum 338350, audited 100", run.out().strip(), run.toString());
  }

  @Test
  void instrumentTestsRewritesTheTestClassesWithTheTestClassPath() throws Exception {
    SampleProject p = pipeline();
    instrument(p, List.of(AUDIT)).execute();
    instrumentTests(p, List.of(AUDIT)).execute();
    assertTrue(log.infos.stream().anyMatch(l -> l.startsWith("weft instrument: 1 rewritten, 1 unchanged")
        && l.contains("test-classes")), log.infos.toString());
    ChildJvm run =
        ChildJvm.run(dir, List.of(p.testClasses, p.classes, runtime), "sample.PipelineCheck", "-Dweft.checkPath=true");
    assertEquals(0, run.exit(), run.toString());
    assertEquals("cubes 3025, audited 10", run.out().strip(), run.toString());
  }

  @Test
  void aClassThatCannotBeRewrittenFailsTheBuildNamingItAndWritesNothing() throws Exception {
    SampleProject p = compiledHuge.copyTo(dir);
    Map<String, byte[]> compiled = files(p.classes);
    MojoFailureException e = assertThrows(MojoFailureException.class, () -> instrument(p, null).execute());
    assertTrue(e.getMessage().contains("1 class of " + p.classes + " cannot be rewritten:\n  sample.Huge: big()J"),
        e.getMessage());
    assertTrue(e.getMessage().contains("too large"), e.getMessage());
    Map<String, byte[]> after = files(p.classes);
    assertEquals(compiled.keySet(), after.keySet());
    compiled.forEach((f, bytes) -> assertArrayEquals(bytes, after.get(f), f + " as compiled"));
    assertFalse(Files.exists(p.classes.resolveSibling("weft-classes")), "no staging directory left");
    // A build run again, the sources unchanged, fails again: nothing marks the class as done.
    assertThrows(MojoFailureException.class, () -> instrument(p, null).execute());
  }

  @Test
  void failOnErrorFalseWritesTheClassDisarmedWithAWarning() throws Exception {
    SampleProject p = compiledHuge.copyTo(dir);
    byte[] compiled = Files.readAllBytes(p.classes.resolve("sample/Huge.class"));
    InstrumentMojo mojo = instrument(p, null);
    mojo.failOnError = false;
    mojo.execute();
    assertTrue(log.warnings.stream().anyMatch(w -> w.startsWith("weft: cannot rewrite sample.Huge: big()J")
        && w.contains("written disarmed")), log.warnings.toString());
    assertFalse(java.util.Arrays.equals(compiled, Files.readAllBytes(p.classes.resolve("sample/Huge.class"))),
        "written disarmed");
    ChildJvm run = ChildJvm.run(dir, List.of(p.classes, runtime), "sample.Huge");
    assertTrue(run.exit() != 0, run.toString());
    assertTrue(run.err().contains("sample.Huge.big"), "the disarmed method is named: " + run);
  }

  @Test
  void skipLeavesTheClassesAsCompiled() throws Exception {
    SampleProject p = pipeline();
    Map<String, byte[]> compiled = files(p.classes);
    InstrumentMojo mojo = instrument(p, List.of(AUDIT));
    mojo.skip = true;
    mojo.execute();
    Map<String, byte[]> after = files(p.classes);
    compiled.forEach((f, bytes) -> assertArrayEquals(bytes, after.get(f), f));
    assertEquals(List.of("weft: skipped"), log.infos);
  }

  @Test
  void aBadSuspendablesLineFailsTheBuildNamingIt() throws Exception {
    SampleProject p = pipeline();
    Exception e = assertThrows(Exception.class, () -> instrument(p, List.of("sample.Audit")).execute());
    assertTrue(e.getMessage().contains("suspendables:1: 'sample.Audit' is not a method"), e.getMessage());
  }

  /** A suspendable method with so many call sites that, rewritten, it passes the JVM's 64 KB. */
  private static Path huge(Path sources) throws IOException {
    StringBuilder s = new StringBuilder()
        .append("package sample;\n")
        .append("import dev.weft.Suspendable;\n")
        .append("import dev.weft.Weft;\n")
        .append("public class Huge {\n")
        .append("  @Suspendable static int step(int v) { Weft.gosched(); return v; }\n")
        .append("  @Suspendable static long big() {\n")
        .append("    long s = 0; int a = 1; double d = 2;\n");
    for (int i = 0; i < 2000; i++) {
      s.append("    s += step(").append(i % 100).append(") + a;\n");
    }
    s.append("    return s + (long) d;\n  }\n")
        .append("  public static void main(String[] args) {\n")
        .append("    System.out.println(Weft.call(Huge::big));\n  }\n}\n");
    Files.createDirectories(sources.resolve("main/sample"));
    Files.writeString(sources.resolve("main/sample/Huge.java"), s);
    return sources;
  }

  private static Map<String, byte[]> files(Path root) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    assertFalse(files.isEmpty(), "no classes in " + root);
    return files;
  }

  private static Map<String, FileTime> times(Path root) throws IOException {
    Map<String, FileTime> times = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        times.put(root.relativize(p).toString(), Files.getLastModifiedTime(p));
      }
    }
    assertNotNull(times);
    return times;
  }
}
