package dev.weft.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.weft.Channel;
import dev.weft.Weft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Run by {@link AgentPresenceTest} in a JVM started without the agent: runs a test class that
 * uses the extension and prints, for each test, its outcome and the failure's class and message.
 */
public final class WithoutTheAgentProgram {
  private WithoutTheAgentProgram() {}

  @ExtendWith(WeftExtension.class)
  static class Blocks {
    @Test
    void receives() {
      Channel<Integer> c = Channel.make();
      Weft.go(() -> c.send(1));
      c.receive();
    }
  }

  public static void main(String[] args) {
    for (Event e :
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(Blocks.class))
            .execute()
            .testEvents()
            .finished()
            .list()) {
      TestExecutionResult r = e.getPayload(TestExecutionResult.class).orElseThrow();
      System.out.println(
          e.getTestDescriptor().getDisplayName()
              + " "
              + r.getStatus()
              + r.getThrowable().map(t -> " " + t.getClass().getName() + ": " + t.getMessage()).orElse(""));
    }
  }
}
