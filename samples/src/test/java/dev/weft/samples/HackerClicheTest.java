package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HackerClicheTest {
  @Test
  void echoesExactlyTheDigitsItCounts() throws Exception {
    Captured c =
        HangGuard.within(() -> Captured.run(HackerCliche::run, "--seconds", "0.2", "--procs", "2"));
    assertEquals(0, c.status, c.toString());
    String[] lines = c.out.split("\n");
    String summary = lines[lines.length - 1];
    long zeros = 0;
    long ones = 0;
    for (int i = 0; i < lines.length - 1; i++) {
      assertTrue(lines[i].matches("[01]{1,72}"), "not a line of digits: " + lines[i]);
      zeros += lines[i].chars().filter(ch -> ch == '0').count();
      ones += lines[i].chars().filter(ch -> ch == '1').count();
    }
    assertTrue(summary.startsWith("GOMAXPROCS=2: "), summary);
    assertEquals(zeros, (long) c.number("printed 0 ([\\d,]+) times"), summary);
    assertEquals(ones, (long) c.number("and 1 ([\\d,]+) times"), summary);
    assertTrue(ones > 0, summary);
  }

  /**
   * Run as a user runs it, with only the agent added and GOMAXPROCS=1 in the environment: both
   * digits appear only if the scheduler preempts a fiber that never blocks.
   */
  @Test
  void oneWorkerStillRunsBothFibers() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(new File(System.getProperty("java.home"), "bin/java").getPath());
    command.add("-javaagent:" + agentJar());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(HackerCliche.class.getName());
    command.add("--seconds");
    command.add("0.5");
    command.add("--quiet");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("GOMAXPROCS", "1");
    Process p = pb.start();
    p.getOutputStream().close();
    boolean ended = p.waitFor(30, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly().waitFor();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(ended, "HackerCliche did not end by itself: " + out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("GOMAXPROCS=1: "), "GOMAXPROCS from the environment: " + out);
    long zeros =
        Long.parseLong(out.replaceAll("(?s).*printed 0 ([\\d,]+) times.*", "$1").replace(",", ""));
    long ones =
        Long.parseLong(out.replaceAll("(?s).*and 1 ([\\d,]+) times.*", "$1").replace(",", ""));
    assertTrue(zeros > 0 && ones > 0, "one worker must still run both fibers: " + out);
  }

  /** The agent this JVM runs under, so the child runs under the same one. */
  private static String agentJar() {
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-javaagent:")) {
        String jar = arg.substring("-javaagent:".length());
        int eq = jar.indexOf('=');
        return eq < 0 ? jar : jar.substring(0, eq);
      }
    }
    throw new AssertionError("these tests must run under -javaagent (see samples/pom.xml)");
  }
}
