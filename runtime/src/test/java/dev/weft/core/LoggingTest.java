package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.modes.LoggedProgram;
import dev.weft.modes.RecordingLoggerFinder;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's messages go through System.Logger (docs/configuration.md, "Output"): by default on
 * System.err as always; a logging library's finder gets them as records, by logger name; a level
 * silences them. Each case runs LoggedProgram in a JVM of its own, under this JVM's agent.
 */
@Timeout(120)
class LoggingTest {
  private static final String PINNED = "a fiber blocked while holding a monitor";
  private static final String UNCAUGHT = "Exception in fiber";

  private static String run(List<String> classPathFirst, String... options) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-javaagent:")) {
        command.add(a);
      }
    }
    List<String> cp = new ArrayList<>(classPathFirst);
    cp.add(System.getProperty("java.class.path"));
    command.add("-cp");
    command.add(String.join(File.pathSeparator, cp));
    command.addAll(List.of(options));
    command.add(LoggedProgram.class.getName());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("done"), out);
    return out;
  }

  private static String withFinder(Path dir, String... options) throws Exception {
    Path services = dir.resolve("META-INF/services/java.lang.System$LoggerFinder");
    Files.createDirectories(services.getParent());
    Files.writeString(services, RecordingLoggerFinder.class.getName() + "\n");
    return run(List.of(dir.toString()), options);
  }

  @Test
  void byDefaultOnSystemErrAsBefore() throws Exception {
    String out = run(List.of());
    assertTrue(out.contains("WARNING: Weft: " + PINNED), out);
    assertTrue(out.contains(UNCAUGHT + " \"fiber-"), out);
    assertTrue(out.contains("java.lang.IllegalStateException: boom"), out);
    assertFalse(out.contains("LOGGED"), out);
  }

  @Test
  void aLoggerFinderGetsThemAsRecordsByName(@TempDir Path dir) throws Exception {
    String out = withFinder(dir);
    assertTrue(out.contains("LOGGED dev.weft.pinned WARNING WARNING: Weft: " + PINNED), out);
    assertTrue(
        out.contains("LOGGED dev.weft.uncaught ERROR " + UNCAUGHT)
            && out.contains("[java.lang.IllegalStateException: boom]"),
        out);
    assertFalse(out.contains("\tat "), "a stack trace went to System.err:\n" + out);
  }

  @Test
  void aLoggerThatIsOffSaysNothing(@TempDir Path dir) throws Exception {
    String out = withFinder(dir, "-Dtest.silenced=dev.weft.pinned,dev.weft.uncaught");
    assertFalse(out.contains(PINNED), out);
    assertFalse(out.contains(UNCAUGHT), out);
  }

  @Test
  void aJavaUtilLoggingLevelSilencesTheDefault(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("logging.properties");
    Files.writeString(config, "dev.weft.level = OFF\n");
    String out = run(List.of(), "-Djava.util.logging.config.file=" + config);
    assertFalse(out.contains(PINNED), out);
    assertFalse(out.contains(UNCAUGHT), out);
  }
}
