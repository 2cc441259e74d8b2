package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The agent jar's classes (its own and ASM's) load through the boot class loader, which reads
 * them natively and does not verify them: the jar's {@code Boot-Class-Path} names the names it is
 * built and installed under. Under any other name it still works, from the class path. Either
 * way the JVM says nothing: appending to the boot class path after start-up, as {@code
 * Instrumentation.appendToBootstrapClassLoaderSearch} would, prints a warning about class data
 * sharing on every run.
 */
@Timeout(120)
class AgentLoadingTest {

  @Test
  void theAgentsClassesInThisJvmCameFromTheBootLoader() throws Exception {
    Class<?> transformer =
        Class.forName("dev.weft.agent.WeftTransformer", false, ClassLoader.getSystemClassLoader());
    assertNull(transformer.getClassLoader(), "defined by " + transformer.getClassLoader());
  }

  @Test
  void underTheBuiltNameTheProgramPrintsOnlyItsOwnLines(@TempDir Path dir) throws Exception {
    Path jar = Files.copy(agentJar(), dir.resolve("weft-agent.jar"));
    assertEquals("hello\nboot\n", run(jar));
  }

  @Test
  void underTheInstalledNameToo(@TempDir Path dir) throws Exception {
    Path jar = Files.copy(agentJar(), dir.resolve("weft-agent-" + version() + ".jar"));
    assertEquals("hello\nboot\n", run(jar));
  }

  @Test
  void renamedItStillWorksFromTheClassPath(@TempDir Path dir) throws Exception {
    Path jar = Files.copy(agentJar(), dir.resolve("renamed.jar"));
    assertEquals("hello\nclass path\n", run(jar));
  }

  /** The -javaagent jar this JVM runs with. */
  private static Path agentJar() {
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-javaagent:")) {
        String path = a.substring("-javaagent:".length());
        int options = path.indexOf('=');
        return Path.of(options < 0 ? path : path.substring(0, options));
      }
    }
    throw new AssertionError("the tests run without -javaagent");
  }

  /** The version in the jar's Boot-Class-Path: the one Maven built it as. */
  private static String version() throws Exception {
    try (java.util.jar.JarFile j = new java.util.jar.JarFile(agentJar().toFile())) {
      String path = j.getManifest().getMainAttributes().getValue("Boot-Class-Path");
      assertTrue(path != null && path.startsWith("weft-agent-"), "Boot-Class-Path: " + path);
      return path.substring("weft-agent-".length(), path.indexOf(".jar"));
    }
  }

  /** Runs the program under the agent {@code jar}; everything it printed, stderr included. */
  private static String run(Path jar) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-javaagent:" + jar);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(AgentLoadingProgram.class.getName());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
