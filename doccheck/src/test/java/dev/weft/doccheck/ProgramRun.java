package dev.weft.doccheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a block's {@code main} in a JVM of its own under the agent, as a user would run it: the
 * block's classes and the runtime on the class path, standard input closed, and a time limit, so
 * that a program that waits for input or serves forever fails the check instead of hanging it.
 */
final class ProgramRun {
  private final Path agentJar;
  private final String classPath;
  private final long seconds;

  /**
   * @param classPath what the program may see besides its own classes: the runtime, weft-junit
   *     and JUnit, not the agent's classes (the agent jar brings its own)
   */
  ProgramRun(Path agentJar, String classPath, long seconds) {
    this.agentJar = agentJar;
    this.classPath = classPath;
    this.seconds = seconds;
  }

  /** Null when the program ended with status 0; otherwise what went wrong, with its output. */
  String run(Path classes, String mainClass) {
    try {
      Path log = Files.createTempFile(classes.getParent(), "run", ".log");
      List<String> command =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-javaagent:" + agentJar,
              "-cp",
              classes + java.io.File.pathSeparator + classPath,
              mainClass);
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      p.getOutputStream().close(); // standard input at its end, as under `< /dev/null`
      boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
      if (!ended) {
        p.destroyForcibly().waitFor();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      if (!ended) {
        return mainClass + " did not end within " + seconds + " s (a program that serves forever is"
            + " marked `java no-run`); its output:\n" + output;
      }
      if (p.exitValue() != 0) {
        return mainClass + " exited with status " + p.exitValue() + "; its output:\n" + output;
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return mainClass + " was interrupted";
    }
  }
}
