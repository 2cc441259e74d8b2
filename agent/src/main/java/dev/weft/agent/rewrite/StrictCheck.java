package dev.weft.agent.rewrite;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.CheckClassAdapter;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;

/**
 * The rewriter's uses of ASM's {@code util} package: the strict check ({@code -Dweft.verify=true})
 * and the listing of a method that failed verification ({@code -Dweft.agent.verbose=true}). Kept
 * out of {@link ClassRewriter} so that a program started without either option does not load
 * these large classes just to verify the rewriter.
 */
final class StrictCheck {
  private StrictCheck() {}

  /** Reads a rewritten class into {@code into} through ASM's CheckClassAdapter. */
  static void read(ClassReader reader, ClassNode into) {
    try {
      reader.accept(new CheckClassAdapter(into, true), 0);
    } catch (RuntimeException e) {
      StringWriter report = new StringWriter();
      e.printStackTrace(new PrintWriter(report));
      throw new UntransformableException("CheckClassAdapter rejected the result: " + report);
    }
  }

  /** The method's bytecode as text. */
  static String listing(MethodNode m) {
    Textifier text = new Textifier();
    m.accept(new TraceMethodVisitor(text));
    StringWriter listing = new StringWriter();
    text.print(new PrintWriter(listing));
    return listing.toString();
  }
}
