package dev.weft.doccheck;

import dev.weft.agent.AgentArguments;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The checkout, class paths and agent jar that Surefire gives this module's tests. */
final class TestSetup {
  private TestSetup() {}

  static Path root() {
    return Path.of(System.getProperty("weft.doccheck.root", "..")).toAbsolutePath().normalize();
  }

  static Path agentJar() {
    return Path.of(System.getProperty("weft.agent.jar", "../agent/target/weft-agent.jar")).toAbsolutePath();
  }

  /** A block compiles against everything this module's tests see: runtime, weft-junit, JUnit, the agent's API. */
  static String compileClassPath() {
    return System.getProperty("java.class.path");
  }

  /** A block runs as a user's program: without the agent's own classes or ASM, which the agent jar brings. */
  static String runClassPath() {
    List<String> kept = new ArrayList<>();
    for (String entry : compileClassPath().split(File.pathSeparator)) {
      String e = entry.replace('\\', '/');
      if (!e.contains("/agent/target/") && !e.contains("weft-agent") && !e.contains("/org/ow2/asm/")) {
        kept.add(entry);
      }
    }
    return String.join(File.pathSeparator, kept);
  }

  static DocCheck check(Path root, Path work) {
    return new DocCheck(
        root,
        Set.copyOf(AgentArguments.NAMES),
        new BlockCompiler(compileClassPath()),
        new ProgramRun(agentJar(), runClassPath(), 60),
        work);
  }
}
