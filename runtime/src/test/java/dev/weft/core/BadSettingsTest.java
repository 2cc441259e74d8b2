package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.modes.StartTwice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each runtime setting with a bad value (docs/configuration.md): every start of the runtime fails
 * with an IllegalArgumentException that names the setting, and nothing fails with a class that
 * could not be initialised. Before, a bad weft.stack.limit failed FrameStack's static initialiser,
 * and every later use of the runtime threw a NoClassDefFoundError that no longer named it.
 */
@Timeout(120)
class BadSettingsTest {

  private static String run(String property) throws Exception {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            property,
            StartTwice.class.getName());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return out;
  }

  @Test
  void everyStartFailsNamingTheSetting() throws Exception {
    String[][] cases = {
      {"-Dweft.stack.limit=lots", "-Dweft.stack.limit=lots is not a size"},
      {"-Dweft.worker.stack=-1m", "-Dweft.worker.stack=-1m is not a size"},
      {"-Dweft.maxprocs=0", "-Dweft.maxprocs=0 is not a valid number of workers"},
      {"-Dweft.uncaught=panic", "-Dweft.uncaught=panic is not a policy"},
      {"-Dweft.checkPath=on", "-Dweft.checkPath=on is not valid"},
      {"-Dweft.stress.yield=2", "-Dweft.stress.yield=2 is not a probability"},
      {"-Dweft.stress.seed=x", "-Dweft.stress.seed=x is not a seed"},
    };
    for (String[] c : cases) {
      String out = run(c[0]);
      for (int attempt = 1; attempt <= 2; attempt++) {
        String expected = "attempt " + attempt + ": java.lang.IllegalArgumentException: " + c[1];
        assertTrue(out.contains(expected), c[0] + ": no \"" + expected + "\" in:\n" + out);
      }
      assertEquals(-1, out.indexOf("NoClassDefFoundError"), c[0] + ":\n" + out);
      assertEquals(-1, out.indexOf("ExceptionInInitializerError"), c[0] + ":\n" + out);
    }
  }
}
