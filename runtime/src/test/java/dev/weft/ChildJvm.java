package dev.weft;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test's program run in a JVM of its own, for what one JVM can only do once (a limit read at
 * start-up, an exit status, the classes loaded): this JVM's java, its {@code -javaagent} and
 * {@code -Xss}, the test class path.
 *
 * <pre>{@code
 * ChildJvm.Result r = ChildJvm.run(List.of("-Dweft.uncaught=exit"), UncaughtExitProgram.class);
 * assertEquals(2, r.status(), r.output());
 * }</pre>
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** What the program printed (standard error included) and its exit status. */
  public record Result(int status, String output) {}

  /**
   * Runs {@code main} with {@code options} before the class path and {@code args} after the class,
   * until it exits; fails when it has not exited 60 s after its output closed.
   */
  public static Result run(List<String> options, Class<?> main, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-javaagent:") || a.startsWith("-Xss")) {
        cmd.add(a);
      }
    }
    cmd.addAll(options);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes(); // until the program closes it, at its exit
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the program did not exit: " + String.join(" ", cmd));
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
