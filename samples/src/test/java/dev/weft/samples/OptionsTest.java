package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OptionsTest {
  private static Options spec() {
    return new Options("usage: T [--n N] [--s S] [--quiet]").value("n").value("s").flag("quiet");
  }

  @Test
  void readsBothSpellingsAndSeparators() throws Exception {
    Options o = spec().parse("--n", "1_000_000", "--s=2.5", "--quiet");
    assertEquals(1_000_000, o.integer("n", 7, 1));
    assertEquals(2.5, o.decimal("s", 1, 0));
    assertTrue(o.has("quiet"));
  }

  @Test
  void defaultsApplyWhenAbsent() throws Exception {
    Options o = spec().parse();
    assertEquals(7, o.integer("n", 7, 1));
    assertEquals(0, o.integer("n", 0, 1), "a default is not checked against the minimum");
    assertFalse(o.has("quiet"));
  }

  @Test
  void rejectsWhatTheSampleCannotUse() {
    assertEquals("unknown option --bogus", message("--bogus"));
    assertEquals("--n needs a value", message("--n"));
    assertEquals("--quiet takes no value", message("--quiet=yes"));
    assertEquals("unexpected argument 'stray'", message("stray"));
    UsageException e =
        assertThrows(UsageException.class, () -> spec().parse("--n", "-5").integer("n", 1, 1));
    assertEquals("--n must be at least 1, not -5", e.getMessage());
    e = assertThrows(UsageException.class, () -> spec().parse("--n", "x").integer("n", 1, 1));
    assertEquals("--n needs a whole number, not 'x'", e.getMessage());
    e = assertThrows(UsageException.class, () -> spec().parse("--s", "NaN").decimal("s", 1, 0));
    assertTrue(e.getMessage().startsWith("--s must be at least 0"), e.getMessage());
  }

  @Test
  void helpIsNotAnError() {
    UsageException e = assertThrows(UsageException.class, () -> spec().parse("--help"));
    assertTrue(e.isHelp());
  }

  private static String message(String... args) {
    return assertThrows(UsageException.class, () -> spec().parse(args)).getMessage();
  }
}
