package dev.weft.agent.rewrite;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.agent.hierarchy.ClassHierarchy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Measures what the rewrite adds per call site, in code and in constant-pool entries, on real
 * classes with every method suspendable, prints a table (docs/design.md, "Big methods") and bounds
 * the growth so a regression fails here. Run alone to see the table:
 *
 * <pre>
 * mvn -q -o verify -pl agent -Dtest=RewriteGrowthTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RewriteGrowthTest {
  private static final String LANG3 = "org/apache/commons/lang3/";

  @Test
  void codeAndConstantPoolGrowthPerCallSite() throws IOException {
    Lang3 lang3 = Lang3.everyMethodSuspendable();
    Lang3 kotlin = Lang3.everyMethodOfTheJarsOf("kotlin/collections/ArraysKt___ArraysKt.class");
    List<String> rows = new ArrayList<>();
    rows.add(String.format(Locale.ROOT, "| %-52s | %5s | %7s | %8s | %6s | %6s | %6s |",
        "method or class", "sites", "code", "rewritten", "B/site", "cp", "cp'"));
    rows.add("|" + "-".repeat(54) + "|-------|---------|----------|--------|--------|--------|");
    Row big = measure(rows, lang3, LANG3 + "ArrayUtilsTest", "testSameLengthAll");
    measure(rows, lang3, LANG3 + "ArrayUtilsTest", "testIndexOfInt");
    measure(rows, lang3, LANG3 + "StringUtils", "replaceEach");
    measure(rows, lang3, LANG3 + "StringUtils", "splitWorker");
    measure(rows, lang3, LANG3 + "StringUtils", null);
    measure(rows, lang3, LANG3 + "ArrayUtilsTest", null);
    Row kt = measure(rows, kotlin, "kotlin/collections/ArraysKt___ArraysKt", null);
    System.out.println(String.join("\n", rows));
    assertTrue(big.rewritten <= CodeSize.MAX_METHOD, "fits: " + big.rewritten);
    assertTrue(big.rewritten - big.code < 40 * big.sites, "compact form: under 40 bytes a site");
    assertTrue(kt.cpAfter >= 0 && kt.cpAfter - kt.cpBefore < 4 * kt.methods + 200,
        "constant pool grows per method, not per call site");
  }

  /** One row: a method (or, with {@code method} null, the whole class) before and after. */
  private static Row measure(List<String> rows, Lang3 jars, String cls, String method)
      throws IOException {
    byte[] in = jars.bytes(cls);
    byte[] out;
    ClassNode after;
    String failure = null;
    try {
      out = jars.rewriter().rewrite(in);
      assertNotNull(out, cls);
      after = node(out);
    } catch (RuntimeException e) { // what a rewrite that cannot be written would have been
      failure = e.getClass().getSimpleName();
      out = null;
      after = node(in);
      ClassHierarchy h = new ClassHierarchy(jars.loader, jars.list);
      h.register(in);
      for (MethodNode m : after.methods) {
        if (m.instructions.size() > 0 && (method == null || m.name.equals(method))) {
          new MethodRewriter(after, m, h, c -> h.isSuspendable(c.owner, c.name, c.desc), true).rewrite();
        }
      }
    }
    ClassNode before = node(in);
    Row r = new Row();
    for (MethodNode m : before.methods) {
      if (method == null || m.name.equals(method)) {
        r.methods++;
        r.code += CodeSize.of(m);
        for (AbstractInsnNode i : m.instructions) {
          if (i instanceof MethodInsnNode && jars.list.names(((MethodInsnNode) i).owner,
              ((MethodInsnNode) i).name, ((MethodInsnNode) i).desc)) {
            r.sites++;
          }
        }
      }
    }
    for (MethodNode m : after.methods) {
      if (method == null || m.name.equals(method)) {
        r.rewritten += CodeSize.of(m);
      }
    }
    r.cpBefore = new ClassReader(in).getItemCount();
    r.cpAfter = out == null ? -1 : new ClassReader(out).getItemCount();
    String name = cls.substring(cls.lastIndexOf('/') + 1) + (method == null ? " (class)" : "." + method)
        + (failure == null ? "" : " FAILS: " + failure);
    rows.add(String.format(Locale.ROOT, "| %-52s | %5d | %7d | %8d | %6.1f | %6d | %6d |",
        name, r.sites, r.code, r.rewritten,
        r.sites == 0 ? 0.0 : (r.rewritten - r.code) / (double) r.sites, r.cpBefore, r.cpAfter));
    return r;
  }

  private static ClassNode node(byte[] bytes) {
    ClassNode cn = new ClassNode();
    new ClassReader(bytes).accept(cn, ClassReader.SKIP_FRAMES);
    return cn;
  }

  private static final class Row {
    int methods;
    int sites;
    int code;
    int rewritten;
    int cpBefore;
    int cpAfter;
  }
}
