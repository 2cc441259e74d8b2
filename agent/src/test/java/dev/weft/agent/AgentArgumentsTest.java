package dev.weft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's arguments are whole words. Before, they were matched as substrings, so {@code noverify}
 * turned verification on and a misspelt {@code nopreemt} was ignored without a word.
 */
@Timeout(10)
class AgentArgumentsTest {

  @Test
  void wordsSeparatedByCommas() {
    AgentArguments a = AgentArguments.parse("verbose, nopreempt");
    assertTrue(a.has("verbose"));
    assertTrue(a.has("nopreempt"));
    assertFalse(a.has("verify"));
    assertFalse(AgentArguments.parse(null).has("verbose"));
    assertFalse(AgentArguments.parse("").has("verbose"));
  }

  @Test
  void anUnknownWordIsRefusedByName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AgentArguments.parse("verbose,noverify"));
    assertEquals(
        "-javaagent:weft-agent.jar=verbose,noverify: unknown argument \"noverify\"; the agent's"
            + " arguments are verbose, verify, nopreempt, separated by commas",
        e.getMessage());
  }
}
