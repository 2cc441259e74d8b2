package dev.weft.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The call-site table as the runtime reads it (the layout is in FrameStack's comment). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SiteTableTest {
  private static final String TABLE =
      "\u0001" + (char) 14 + "a.b.C.m(C.java" + (char) 42 + (char) 0 + (char) 65535;

  @Test
  void eachEntryReadsAsAStackTraceLine() {
    assertEquals("a.b.C.m(C.java:42)", SiteTable.site(TABLE, 0));
    assertEquals("a.b.C.m(C.java)", SiteTable.site(TABLE, 1), "line 0: none known");
    assertEquals("a.b.C.m(C.java:65535)", SiteTable.site(TABLE, 2));
  }

  @Test
  void anEntryPastTheTableHasNoLine() {
    assertEquals("a.b.C.m(C.java)", SiteTable.site(TABLE, 3));
  }

  @Test
  void aPlainSiteStringIsItsOwnName() {
    assertEquals("x.Y.z(Y.java:7)", SiteTable.site("x.Y.z(Y.java:7)", 5));
    assertEquals("", SiteTable.site("", 0));
    assertEquals("null", SiteTable.site(null, 0));
  }

  @Test
  void theMethodOfATable() {
    assertEquals("a.b.C.m", SiteTable.method(TABLE));
  }

  @Test
  void aMalformedTableIsShownNotThrown() {
    assertEquals("ab", SiteTable.site("\u0001" + (char) 500 + "ab", 0));
  }

  @Test
  void theMismatchErrorNamesTheMethod() {
    String message = FrameStack.mismatch(TABLE).getMessage();
    assertTrue(message.contains("fiber stack does not match a.b.C.m:"), message);
  }

  /** Frames pushed with a table read back, innermost (first pushed) first, as their call sites. */
  @Test
  void savedSitesDecodeEachFramesEntry() {
    FrameStack s = new FrameStack() {};
    FrameStack.pushInt(1, s);
    FrameStack.pushFrame(0, 0x3FFF, TABLE, s);
    FrameStack.pushRef("x", s);
    FrameStack.pushFrame(2, 1, TABLE, s);
    FrameStack.pushFrame(0, -1, "p.Q.r(Q.java:9)", s);
    assertEquals(
        java.util.List.of("a.b.C.m(C.java:42)", "a.b.C.m(C.java:65535)", "p.Q.r(Q.java:9)"),
        s.savedSites());
    assertEquals(3, s.savedFrames());
  }

  /** The compact form's unwinding check remembers the entry that pushFrame(int, String) then records. */
  @Test
  void compactFormPushesTheEntryItsCheckRemembered() {
    FrameStack s = new FrameStack() {};
    assertEquals(false, FrameStack.unwinding(2, s), "not unwinding: nothing remembered");
    assertEquals(false, FrameStack.unwinding(2, null), "a plain thread");
    s.mode = FrameStack.UNWINDING;
    assertEquals(true, FrameStack.unwinding(2, s));
    FrameStack.pushFrame(77, TABLE, s);
    assertEquals(java.util.List.of("a.b.C.m(C.java:65535)"), s.savedSites());
    FrameStack.arm(s, FrameStack.ARMED, "target");
    assertEquals(FrameStack.ARMED, s.mode);
    assertEquals("target", s.armedFor);
    FrameStack.arm(null, FrameStack.ARMED, "target"); // a plain thread: nothing to arm
    s.mode = FrameStack.REWINDING;
    assertEquals(2, s.popFrame(77, TABLE));
  }

  /**
   * A record saved by a method of one shape and popped by a method of another (the class was
   * changed while the fiber was suspended): the pop fails naming the method, whatever the entry.
   */
  @Test
  void aRecordOfAnotherShapeIsRefused() {
    FrameStack s = new FrameStack() {};
    FrameStack.pushLong(41, s);
    FrameStack.pushFrame(2, 0x1234, TABLE, s);
    s.mode = FrameStack.REWINDING;
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.popFrame(0x1235, TABLE));
    assertTrue(e.getMessage().contains("fiber stack does not match a.b.C.m:"), e.getMessage());
  }

  /** Only the low 14 bits of a shape are kept and compared; they never spill into the counts. */
  @Test
  void theShapeKeepsItsLow14BitsBesideTheCounts() {
    FrameStack s = new FrameStack() {};
    FrameStack.pushRef("r", s);
    FrameStack.pushLong(1, s);
    FrameStack.pushFrame(0, -1, TABLE, s);
    assertEquals(java.util.List.of("a.b.C.m(C.java:42)\tentry=0\tprims=[1]\trefs=[java.lang.String]"),
        s.savedFrameLayout());
    assertEquals(0, s.popFrame(0x3FFF, TABLE));
  }
}
