package dev.weft.agent.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodNode;

/** The call-site table as the agent writes it, in the layout FrameStack documents. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SiteTableTest {
  @Test
  void headThenOneLineCharPerEntry() {
    String t = SiteTable.encode(SiteTable.head("a/b/C", "m", "C.java"), new int[] {42, 0, 65535});
    assertEquals("\u0001" + (char) 14 + "a.b.C.m(C.java" + (char) 42 + (char) 0 + (char) 65535, t);
  }

  @Test
  void aClassWithoutSourceFileSaysUnknownSource() {
    assertEquals("x.Y.z(Unknown Source", SiteTable.head("x/Y", "z", null));
  }

  @Test
  void linesThatDoNotFitInOneConstantAreLeftOut() {
    int[] lines = new int[40_000];
    java.util.Arrays.fill(lines, 3000); // three bytes each in modified UTF-8
    String t = SiteTable.encode("h", lines);
    int bytes = 0;
    for (char c : t.toCharArray()) {
      bytes += c >= 1 && c <= 0x7F ? 1 : c <= 0x7FF ? 2 : 3;
    }
    assertTrue(bytes <= SiteTable.MAX_UTF8, "fits in one constant: " + bytes);
    assertTrue(t.length() > 20_000, "keeps as many lines as fit: " + t.length());
  }

  /** One table string per method, whatever its number of call sites: the constant pool stays flat. */
  @Test
  void aRewrittenMethodHasOneTableForAllItsCallSites() {
    BigMethods gen = new BigMethods(200);
    MethodNode m = BigMethodRewriteTest.method(gen.rewriter().rewrite(gen.bytes()), "big");
    java.util.Set<Object> tables = new java.util.HashSet<>();
    for (var i : m.instructions) {
      if (i instanceof LdcInsnNode && ((LdcInsnNode) i).cst instanceof String) {
        String s = (String) ((LdcInsnNode) i).cst;
        if (s.charAt(0) == SiteTable.MARK) {
          tables.add(s);
        }
      }
    }
    assertEquals(1, tables.size());
    String t = (String) tables.iterator().next();
    assertTrue(t.startsWith("\u0001" + (char) "gen.Big.big(Unknown Source".length() + "gen.Big.big("), t);
    int entries = t.length() - 2 - "gen.Big.big(Unknown Source".length();
    assertTrue(entries >= 200 && entries <= 202, "one char per call site: " + entries);
    assertTrue(new String(t.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).length() > 0);
    new ClassReader(gen.bytes()); // the generator's own bytes stay valid
  }
}
