package dev.weft.conformance.aot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Weft;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program instrumented ahead of time by {@code java -jar weft-agent.jar instrument} runs in a
 * JVM started without {@code -javaagent}, suspends correctly, and still fails clearly through a
 * method that was missed; under the agent, its classes are left as they are.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AheadOfTimeTest {
  private static final String PING_PONG =
      "package aot;\n"
          + "import dev.weft.Channel;\n"
          + "import dev.weft.Suspendable;\n"
          + "import dev.weft.Weft;\n"
          + "public class PingPong {\n"
          + "  @Suspendable static long relay(Channel<Integer> in, Channel<Integer> out, int n) {\n"
          + "    long sum = 0;\n"
          + "    for (int i = 0; i < n; i++) { int v = in.receive(); sum += v; out.send(v + 1); }\n"
          + "    return sum;\n"
          + "  }\n"
          + "  public static void main(String[] args) {\n"
          + "    long total = Weft.call(() -> {\n"
          + "      Channel<Integer> ping = Channel.make();\n"
          + "      Channel<Integer> pong = Channel.make();\n"
          + "      Weft.go(() -> relay(ping, pong, 1000));\n"
          + "      long t = 0;\n"
          + "      for (int i = 0; i < 1000; i++) { ping.send(i); t += pong.receive(); }\n"
          + "      return t;\n"
          + "    });\n"
          + "    System.out.println(\"total \" + total);\n"
          + "  }\n"
          + "}\n";

  /** {@code helper} lacks {@code @Suspendable}; its receive must wait, nobody ever sends. */
  private static final String MISSED =
      "package aot;\n"
          + "import dev.weft.Channel;\n"
          + "import dev.weft.Weft;\n"
          + "public class Missed {\n"
          + "  static int helper(Channel<Integer> c) { return c.receive(); }\n"
          + "  public static void main(String[] args) {\n"
          + "    Weft.run(() -> System.out.println(\"got \" + helper(Channel.<Integer>make())));\n"
          + "  }\n"
          + "}\n";

  @TempDir static Path dir;
  private static Path program;
  private static Path runtime;

  @BeforeAll
  static void instrumentTheProgramAndTheRuntime() throws Exception {
    Path runtimeClasses = Path.of(Weft.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path src = dir.resolve("src/aot");
    Files.createDirectories(src);
    Files.writeString(src.resolve("PingPong.java"), PING_PONG);
    Files.writeString(src.resolve("Missed.java"), MISSED);
    Path classes = dir.resolve("classes");
    int javac =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-cp", runtimeClasses.toString(), "-d", classes.toString(),
                src.resolve("PingPong.java").toString(), src.resolve("Missed.java").toString());
    assertEquals(0, javac);
    program = dir.resolve("program.jar");
    Result p = java(List.of("-jar", agentJar(), "instrument", "--cp", runtimeClasses.toString(),
        classes.toString(), program.toString()));
    assertEquals(0, p.exit, p.toString());
    assertTrue(p.out.matches("(?s)weft instrument: 2 rewritten, 0 unchanged, 0 failed in \\d+ ms\\s*"), p.toString());
    // Already rewritten when it ships (docs/aot.md); this is then a no-op that checks it.
    runtime = dir.resolve("runtime");
    Result r = java(List.of("-jar", agentJar(), "instrument", runtimeClasses.toString(), runtime.toString()));
    assertEquals(0, r.exit, r.toString());
  }

  @Test
  void runsWithoutTheAgentAndSuspendsCorrectly() throws Exception {
    Result r = java(List.of("-cp", classPath(program, runtime), "aot.PingPong"));
    assertEquals(0, r.exit, r.toString());
    assertEquals("total 500500", r.out.strip(), r.toString());
  }

  @Test
  void theCheckingModesApplyToClassesRewrittenAheadOfTime() throws Exception {
    Result r =
        java(List.of("-Dweft.checkPath=true", "-Dweft.stress.yield=1", "-Dweft.stress.seed=3",
            "-cp", classPath(program, runtime), "aot.PingPong"));
    assertEquals(0, r.exit, r.toString());
    assertEquals("total 500500", r.out.strip(), r.toString());
  }

  @Test
  void aMethodMissedStillFailsWithTheUninstrumentedFrameError() throws Exception {
    Result r = java(List.of("-cp", classPath(program, runtime), "aot.Missed"));
    assertTrue(r.exit != 0, r.toString());
    assertTrue(r.err.contains("dev.weft.frame.UninstrumentedFrameError: aot.Missed.helper"), r.toString());
    assertFalse(r.out.contains("got"), r.toString());
  }

  @Test
  void underTheAgentItsClassesAreLeftAsTheyAre() throws Exception {
    Result r =
        java(List.of("-javaagent:" + agentJar() + "=verbose", "-cp", classPath(program, runtime), "aot.PingPong"));
    assertEquals(0, r.exit, r.toString());
    assertEquals("total 500500", r.out.strip(), r.toString());
    assertFalse(r.err.contains("rewrote aot/"), "rewritten a second time: " + r);
    assertFalse(r.err.contains("rewrote dev/weft/"), "the runtime rewritten a second time: " + r);
  }

  private static String agentJar() {
    String jar = System.getProperty("weft.agent.jar");
    assertTrue(jar != null && Files.isRegularFile(Path.of(jar)), "the shaded agent jar: " + jar);
    return jar;
  }

  private static String classPath(Path... entries) {
    List<String> parts = new ArrayList<>();
    for (Path e : entries) {
      parts.add(e.toString());
    }
    return String.join(File.pathSeparator, parts);
  }

  private record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }

  /** Runs a child JVM with no agent unless asked, and waits for it. */
  private static Result java(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(args);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
