package dev.weft.agent.rewrite;

import dev.weft.agent.core.AgentLog;
import dev.weft.agent.hierarchy.ClassHierarchy;
import dev.weft.agent.hierarchy.ClassInfo;
import dev.weft.agent.hierarchy.SuspendableMethods;
import dev.weft.agent.hierarchy.SuspendablesList;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassTooLargeException;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.JSRInlinerAdapter;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;

/**
 * Rewrites the suspendable methods of one class, then checks the result before handing it to the
 * JVM: a class that would fail verification is better loaded unchanged, with a warning, than
 * crash the application with a {@code VerifyError}.
 */
public final class ClassRewriter {
  private final ClassHierarchy hierarchy;
  private final SuspendablesList list;
  private final Consumer<String> onForeignTarget;
  private final boolean preemptLoops;
  private final boolean strictCheck;

  public ClassRewriter(
      ClassHierarchy hierarchy,
      SuspendablesList list,
      Consumer<String> onForeignTarget,
      boolean preemptLoops,
      boolean strictCheck) {
    this.hierarchy = hierarchy;
    this.list = list;
    this.onForeignTarget = onForeignTarget;
    this.preemptLoops = preemptLoops;
    this.strictCheck = strictCheck;
  }

  /** The suspendable methods found by the last {@link #rewrite}, even when it then failed. */
  public final java.util.Set<String> suspendableNames = new java.util.HashSet<>();

  /** The rewritten class, or null when it has no suspendable method. */
  public byte[] rewrite(byte[] bytes) {
    ClassReader reader = new ClassReader(bytes);
    ClassNode cn = new ClassNode();
    int version = reader.readUnsignedShort(6);
    ClassVisitor in = cn;
    if (version < Opcodes.V1_7) {
      in =
          new ClassVisitor(Opcodes.ASM9, cn) {
            @Override
            public MethodVisitor visitMethod(
                int access, String name, String desc, String sig, String[] exceptions) {
              MethodVisitor mv = super.visitMethod(access, name, desc, sig, exceptions);
              return new JSRInlinerAdapter(mv, access, name, desc, sig, exceptions);
            }
          };
    }
    reader.accept(in, ClassReader.SKIP_FRAMES);
    ClassInfo self = hierarchy.register(bytes);
    Set<MethodNode> methods = SuspendableMethods.find(cn, self, hierarchy, list, onForeignTarget);
    if (methods.isEmpty()) {
      return null;
    }
    for (MethodNode m : methods) {
      suspendableNames.add(m.name + m.desc);
    }
    Predicate<MethodInsnNode> isSite =
        new Predicate<MethodInsnNode>() {
          @Override
          public boolean test(MethodInsnNode call) {
            return hierarchy.isSuspendable(call.owner, call.name, call.desc);
          }
        };
    for (MethodNode m : methods) {
      rewriteToFit(cn, m, isSite);
    }
    for (MethodNode m : cn.methods) {
      if (m.name.equals("<clinit>") && isCode(m) && !methods.contains(m)) {
        InitialiserGuard.guard(m);
      }
    }
    RewriteMark.mark(cn);
    ClassWriter writer =
        new HierarchyClassWriter(
            version >= Opcodes.V1_6 ? ClassWriter.COMPUTE_FRAMES : ClassWriter.COMPUTE_MAXS, hierarchy);
    cn.accept(writer);
    byte[] out;
    try {
      out = writer.toByteArray();
    } catch (MethodTooLargeException e) {
      throw new UntransformableException(
          e.getMethodName() + e.getDescriptor() + " is too large once rewritten (" + e.getCodeSize()
              + " bytes of code; the JVM's limit is 65535)");
    } catch (ClassTooLargeException e) {
      throw new UntransformableException(
          "the class is too large once rewritten (" + e.getConstantPoolCount()
              + " constant pool entries; the JVM's limit is 65535)");
    }
    check(out);
    AgentLog.info("rewrote " + cn.name + ": " + methods.size() + " suspendable method(s)");
    return out;
  }

  /**
   * Rewrites one method in the inline form, or in the compact form when the original has more than
   * {@link #COMPACT_ABOVE} bytes of code (the JIT does not compile it anyway) or when the inline
   * form would not fit in 64 KB; in the far arrangement when the result is too long for 16-bit
   * jumps. Fails, naming the method, when nothing fits.
   */
  private void rewriteToFit(ClassNode cn, MethodNode m, Predicate<MethodInsnNode> isSite) {
    int original = CodeSize.of(m);
    boolean compact = original > COMPACT_ABOVE;
    MethodNode pristine = original > RETRY_ABOVE ? copyOf(m) : null;
    new MethodRewriter(cn, m, hierarchy, isSite, preemptLoops, compact, false).rewrite();
    int size = CodeSize.of(m);
    if (pristine != null && size > Short.MAX_VALUE) {
      // Too long for 16-bit jumps: the far arrangement, then also the compact form if needed.
      for (boolean tryCompact : compact ? new boolean[] {true} : new boolean[] {false, true}) {
        compact = tryCompact;
        MethodNode again = copyOf(pristine);
        cn.methods.set(cn.methods.indexOf(m), again);
        m = again;
        new MethodRewriter(cn, m, hierarchy, isSite, preemptLoops, compact, true).rewrite();
        size = CodeSize.of(m);
        if (size <= CodeSize.MAX_METHOD) {
          break;
        }
      }
    }
    if (size > CodeSize.MAX_METHOD) {
      throw new UntransformableException(
          m.name + m.desc + " is too large once rewritten (" + size + " bytes of code from "
              + original + (compact ? ", in the compact form" : "") + "; the JVM's limit is 65535)");
    }
  }

  /**
   * HotSpot's {@code HugeMethodLimit}: above it the JIT leaves a method to the interpreter, where
   * a smaller method is as fast as a larger one.
   */
  static final int COMPACT_ABOVE = 8000;

  /** Below this, the rewrite cannot come near 32 KB in practice: no copy is kept for a retry. */
  static final int RETRY_ABOVE = 256;

  private static MethodNode copyOf(MethodNode m) {
    MethodNode copy =
        new MethodNode(
            Opcodes.ASM9,
            m.access,
            m.name,
            m.desc,
            m.signature,
            m.exceptions == null ? null : m.exceptions.toArray(new String[0]));
    m.accept(copy);
    return copy;
  }

  /**
   * Verifies the rewritten methods with a type-checking analysis (always), and the whole class
   * with ASM's CheckClassAdapter when strict checking is on ({@code -Dweft.verify=true}).
   */
  private void check(byte[] out) {
    ClassNode cn = new ClassNode();
    ClassReader reader = new ClassReader(out);
    if (strictCheck) {
      StrictCheck.read(reader, cn);
    } else {
      reader.accept(cn, 0);
    }
    List<Type> interfaces = new ArrayList<>();
    for (String i : cn.interfaces) {
      interfaces.add(Type.getObjectType(i));
    }
    for (MethodNode m : cn.methods) {
      if (!isInstrumented(m)) {
        continue;
      }
      HierarchyVerifier verifier =
          new HierarchyVerifier(
              hierarchy,
              Type.getObjectType(cn.name),
              cn.superName == null ? null : Type.getObjectType(cn.superName),
              interfaces,
              (cn.access & Opcodes.ACC_INTERFACE) != 0);
      try {
        new Analyzer<>(verifier).analyze(cn.name, m);
      } catch (AnalyzerException e) {
        if (AgentLog.verbose) {
          AgentLog.info(
              "rewritten " + cn.name + "." + m.name + m.desc + ":\n" + StrictCheck.listing(m));
        }
        throw new UntransformableException(
            "the rewritten " + m.name + m.desc + " does not verify: " + e.getMessage());
      }
    }
  }

  private static boolean isCode(MethodNode m) {
    return (m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
  }

  private static boolean isInstrumented(MethodNode m) {
    if (m.visibleAnnotations == null) {
      return false;
    }
    for (AnnotationNode a : m.visibleAnnotations) {
      if (a.desc.equals(MethodRewriter.INSTRUMENTED_DESC)) {
        return true;
      }
    }
    return false;
  }
}
