package dev.weft.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.modes.NoAgentProgram;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A JVM started without -javaagent: the runtime ships rewritten and suspends, so the first frame
 * found not rewritten is the user's own lambda. The error says the agent is missing and how to add
 * it (or to rewrite ahead of time), before the receive commits anything. Before, it told the user
 * to annotate a lambda that is suspendable already.
 */
@Timeout(60)
class NoAgentTest {

  private static String run(String... options) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(List.of(options));
    command.add(NoAgentProgram.class.getName());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void theErrorSaysTheAgentIsMissingBeforeAnythingIsCommitted() throws Exception {
    String out = run();
    assertTrue(
        out.contains(
            "error: No Weft agent was installed in this JVM, so only code rewritten ahead of time"
                + " can suspend. Start the JVM with -javaagent:/path/to/weft-agent.jar, or rewrite"
                + " the application ahead of time"),
        out);
    assertTrue(out.contains("NoAgentProgram.lambda$main$0"), "the path is still shown:\n" + out);
    assertTrue(out.contains("a receiver is waiting: false"), "the receive was committed:\n" + out);
    assertFalse(out.contains("received"), out);
  }

  @Test
  void withTheAgentMarkTheMessageIsTheUsualOne() throws Exception {
    String out = run("-Dweft.agent.installed=true");
    assertTrue(out.contains("error: dev.weft.modes.NoAgentProgram.lambda$main$0"), out);
    assertFalse(out.contains("No Weft agent"), out);
    assertTrue(out.contains("a receiver is waiting: false"), out);
  }
}
