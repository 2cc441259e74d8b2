package dev.weft.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Without the agent, a test run by the extension fails before it starts, saying that the agent is
 * missing and how to add it (it used to fail at its first block with "the test's fiber ended").
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AgentPresenceTest {
  @Test
  void underTheAgentTheExtensionsOwnCodeIsRewritten() {
    assertTrue(AgentPresence.rewritten(AgentPresence.stepMethod()));
    AgentPresence.require();
  }

  @Test
  void aMethodTheAgentLeftAloneIsSeenAsSuch() throws NoSuchMethodException {
    assertFalse(AgentPresence.rewritten(AgentPresenceTest.class.getDeclaredMethod("javaCommand")));
  }

  @Test
  void withoutTheAgentATestFailsSayingSoAndHowToAddIt() throws Exception {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process p =
        new ProcessBuilder(List.of(javaCommand(), "-cp", classPath, WithoutTheAgentProgram.class.getName()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(1, TimeUnit.MINUTES), out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(
        out.contains("receives() FAILED java.lang.IllegalStateException: " + AgentPresence.MISSING),
        out);
  }

  private static String javaCommand() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }
}
