package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the monitor costs a program that starts: its look at a long slice must not start Java's
 * management framework (tens of classes, about 25 ms of the start-up's wall time and twice that
 * in CPU), which it once did to sample the worker's top frame whenever it first saw a slice late.
 * The program runs in a JVM of its own, the only way to see which classes it loaded.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MonitorStartUpTest {

  @Test
  void aLateLookAtALongSliceLoadsNoManagementBean() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-javaagent:") || a.startsWith("-Xss")) {
        cmd.add(a);
      }
    }
    cmd.add("-Xlog:class+load=info:stdout");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(LateLookProgram.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes(); // until the program exits
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the program did not exit");
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), text);
    assertTrue(text.contains("\nanswered"), "the late look did not happen as set up:\n" + tail(text));
    assertFalse(
        text.contains(" java.lang.management.ManagementFactory "),
        "the monitor's look started the management framework");
  }

  private static String tail(String text) {
    return text.substring(Math.max(0, text.length() - 2000));
  }
}
