package dev.weft.agent;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The agent's arguments, {@code -javaagent:weft-agent.jar=verbose,verify}: words separated by
 * commas, each one of {@link #NAMES}. An unknown word stops the JVM at start-up, naming it: a
 * misspelt {@code nopreemt} silently ignored would leave the user measuring the wrong thing.
 */
public final class AgentArguments {
  /** Every argument the agent accepts (docs/configuration.md has a row for each). */
  public static final List<String> NAMES = List.of("verbose", "verify", "nopreempt");

  private final Set<String> given;

  private AgentArguments(Set<String> given) {
    this.given = given;
  }

  /**
   * The arguments in {@code text}; none when it is null or empty.
   *
   * @throws IllegalArgumentException naming a word that is not an argument, and the ones that are
   */
  public static AgentArguments parse(String text) {
    Set<String> given = new HashSet<>();
    if (text != null) {
      for (String word : text.split(",")) {
        String w = word.trim();
        if (w.isEmpty()) {
          continue;
        }
        if (!NAMES.contains(w)) {
          throw new IllegalArgumentException(
              "-javaagent:weft-agent.jar=" + text + ": unknown argument \"" + w
                  + "\"; the agent's arguments are " + String.join(", ", NAMES)
                  + ", separated by commas");
        }
        given.add(w);
      }
    }
    return new AgentArguments(given);
  }

  public boolean has(String name) {
    return given.contains(name);
  }
}
