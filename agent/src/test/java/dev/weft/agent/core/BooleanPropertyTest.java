package dev.weft.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's on/off properties. Before, {@code -Dweft.preempt=no} meant true (only "false" turned
 * preemption off) and {@code -Dweft.verify=yes} meant false, both without a word.
 */
@Timeout(10)
class BooleanPropertyTest {
  private static final String NAME = "weft.test.booleanProperty";

  @AfterEach
  void clear() {
    System.clearProperty(NAME);
  }

  @Test
  void trueFalseOrTheFallback() {
    assertTrue(BooleanProperty.read(NAME, true));
    assertFalse(BooleanProperty.read(NAME, false));
    System.setProperty(NAME, " TRUE ");
    assertTrue(BooleanProperty.read(NAME, false));
    System.setProperty(NAME, "false");
    assertFalse(BooleanProperty.read(NAME, true));
  }

  @Test
  void anythingElseIsRefusedByName() {
    System.setProperty(NAME, "no");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BooleanProperty.read(NAME, true));
    assertEquals("-D" + NAME + "=no is not valid: use true or false", e.getMessage());
  }
}
