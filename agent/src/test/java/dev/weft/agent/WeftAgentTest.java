package dev.weft.agent;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The agent says plainly at start-up when its jar lacks the ASM classes it needs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WeftAgentTest {
  @Test
  void withAsmThereIsNothingToSay() {
    assertNull(WeftAgent.asmMissing());
  }

  @Test
  void withoutAsmItSaysSoAndWhichJarToUse() throws Exception {
    URL agentClasses = WeftAgent.class.getProtectionDomain().getCodeSource().getLocation();
    // The agent's own classes and nothing else, as in a jar that was never shaded.
    try (URLClassLoader thin =
        new URLClassLoader(new URL[] {agentClasses}, ClassLoader.getPlatformClassLoader())) {
      Class<?> agent = Class.forName(WeftAgent.class.getName(), true, thin);
      Method check = agent.getDeclaredMethod("asmMissing");
      check.setAccessible(true);
      String said = (String) check.invoke(null);
      assertTrue(said != null && said.contains("has no ASM classes inside it"), said);
      assertTrue(said.contains(agentClasses.toString()), said);
      assertTrue(said.contains("agent/target/weft-agent.jar"), said);
    }
  }
}
