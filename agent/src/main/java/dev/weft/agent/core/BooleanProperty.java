package dev.weft.agent.core;

/** Reads an on/off system property of the agent: {@code true}, {@code false}, or absent. */
public final class BooleanProperty {
  private BooleanProperty() {}

  /**
   * The property's value, or {@code fallback} when it is absent or blank.
   *
   * @throws IllegalArgumentException naming the property, when it is neither true nor false: read
   *     as false, a misspelt {@code -Dweft.preempt=no} would be taken for the opposite of what was
   *     meant without a word
   */
  public static boolean read(String property, boolean fallback) {
    String text = System.getProperty(property);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    String t = text.trim();
    if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
      return t.equalsIgnoreCase("true");
    }
    throw new IllegalArgumentException("-D" + property + "=" + text + " is not valid: use true or false");
  }
}
