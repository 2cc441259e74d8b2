package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;

/**
 * A throwable other than the uninstrumented-frame error that escapes a wait (here the fiber stack
 * limit, hit while the fiber unwinds from its park) must take the wait's nodes out of their
 * queues: otherwise a later sender "delivers" its value to a party that no longer exists. Each
 * case runs {@link AbandonedWaitProgram} in a JVM of its own, since the limit is read once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AbandonedWaitTest {

  @ParameterizedTest
  @CsvSource({
    "receive, delivered=false",
    "select, delivered=false",
    "send, received=null",
    "mutex, handedOn=true",
    "waitgroup, waiting=0"
  })
  void aWaitThatAThrowableEndedLeavesItsQueue(String kind, String expected) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-javaagent:") || a.startsWith("-Xss")) {
        cmd.add(a);
      }
    }
    cmd.add("-Dweft.stack.limit=2048");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(AbandonedWaitProgram.class.getName());
    cmd.add(kind);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes(); // until the program exits
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the program did not exit");
    String text = new String(out, StandardCharsets.UTF_8);
    assertTrue(text.contains("FiberStackOverflowError"), "the wait did not fail as set up:\n" + text);
    assertEquals(0, p.exitValue(), text);
    assertTrue(text.contains(expected), "expected " + expected + " in:\n" + text);
  }
}
