package dev.weft.agent.hierarchy;

import dev.weft.agent.core.FrameContract;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What the agent knows of one class without loading it: its supertypes and which of its methods
 * are suspendable. Read from the class file's header and method signatures only ({@link
 * ClassReader#SKIP_CODE}), never by {@code Class.forName}.
 */
public final class ClassInfo {
  public static final String SUSPENDABLE_DESC = "Ldev/weft/Suspendable;";

  final String name;
  public final String superName;
  final String[] interfaces;
  final boolean isInterface;
  /** False for the stand-in of a class whose bytes could not be read. */
  final boolean readable;
  /** Declared methods, keyed by name + descriptor, with whether each is marked suspendable here. */
  private final Map<String, Boolean> methods = new ConcurrentHashMap<>();
  /** The descriptors of this class's bridge methods, by name: javac's trace of an override. */
  private final Map<String, java.util.List<String>> bridges = new ConcurrentHashMap<>();
  /**
   * The methods each synthetic accessor calls ({@code access$NNN} before nestmates), keyed by the
   * accessor's name + descriptor; each call as {owner, name, descriptor}. Read from the code, so
   * that an accessor is known to lead to a suspendable method before its class is rewritten.
   */
  private final Map<String, java.util.List<String[]>> accessorCalls = new ConcurrentHashMap<>();

  private ClassInfo(
      String name, String superName, String[] interfaces, boolean isInterface, boolean readable) {
    this.name = name;
    this.readable = readable;
    this.superName = superName;
    this.interfaces = interfaces == null ? new String[0] : interfaces;
    this.isInterface = isInterface;
  }

  /**
   * Reads a class file's header and its methods' annotations.
   *
   * @param marking the annotations that make a method suspendable besides {@code @Suspendable}
   */
  static ClassInfo read(byte[] bytes, SuspendablesList list, MarkingAnnotations marking) {
    ClassReader reader = new ClassReader(bytes);
    ClassInfo[] out = new ClassInfo[1];
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public void visit(
              int version, int access, String name, String sig, String superName, String[] itfs) {
            out[0] = new ClassInfo(name, superName, itfs, (access & Opcodes.ACC_INTERFACE) != 0, true);
          }

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String sig, String[] exceptions) {
            ClassInfo info = out[0];
            String key = name + desc;
            info.methods.put(
                key,
                list.names(info.name, name, desc)
                    || FrameContract.isSuspensionPoint(info.name, key));
            if ((access & Opcodes.ACC_BRIDGE) != 0) {
              java.util.List<String> named = info.bridges.get(name);
              if (named == null) {
                named = new java.util.ArrayList<>();
                info.bridges.put(name, named);
              }
              named.add(desc);
            }
            if (isAccessor(access, name)) {
              info.accessorCalls.put(key, new java.util.concurrent.CopyOnWriteArrayList<>());
            }
            return new MethodVisitor(Opcodes.ASM9) {
              @Override
              public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                if (SUSPENDABLE_DESC.equals(annotation) || marking.marks(annotation)) {
                  info.methods.put(key, Boolean.TRUE);
                }
                return null;
              }
            };
          }
        },
        ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    ClassInfo info = out[0];
    if (!info.accessorCalls.isEmpty()) {
      readAccessorCalls(reader, info);
    }
    return info;
  }

  /**
   * A synthetic method that is neither a bridge nor a lambda body: an accessor the compiler added
   * so that another class can reach a private member.
   */
  static boolean isAccessor(int access, String name) {
    return (access & Opcodes.ACC_SYNTHETIC) != 0
        && (access & (Opcodes.ACC_BRIDGE | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0
        && !name.startsWith("lambda$")
        && !name.equals("<init>")
        && !name.equals("<clinit>");
  }

  /** A second pass, only over the accessors' code: most classes have none and skip it. */
  private static void readAccessorCalls(ClassReader reader, ClassInfo info) {
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String sig, String[] exceptions) {
            java.util.List<String[]> calls = info.accessorCalls.get(name + desc);
            if (calls == null) {
              return null;
            }
            return new MethodVisitor(Opcodes.ASM9) {
              @Override
              public void visitMethodInsn(
                  int opcode, String owner, String callee, String calleeDesc, boolean itf) {
                calls.add(new String[] {owner, callee, calleeDesc});
              }
            };
          }
        },
        ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
  }

  /**
   * An empty stand-in for a class whose bytes cannot be found: it declares nothing and extends
   * Object, which may be wrong, so what depends on it is disarmed.
   */
  static ClassInfo unreadable(String name) {
    return new ClassInfo(name, "java/lang/Object", null, false, false);
  }

  boolean declares(String nameAndDesc) {
    return methods.containsKey(nameAndDesc);
  }

  boolean marksSuspendable(String nameAndDesc) {
    return Boolean.TRUE.equals(methods.get(nameAndDesc));
  }

  /** The descriptors of the bridge methods named {@code name}; empty when there are none. */
  java.util.List<String> bridgesNamed(String name) {
    return bridges.getOrDefault(name, java.util.Collections.emptyList());
  }

  /** The calls in the accessor {@code nameAndDesc}; empty when it is not an accessor. */
  java.util.List<String[]> accessorCalls(String nameAndDesc) {
    return accessorCalls.getOrDefault(nameAndDesc, java.util.Collections.emptyList());
  }

  /**
   * Whether a method of this class is marked suspendable that a subclass or a lambda could
   * override or implement. FrameStack's suspension points do not count: they are static (the
   * conformance module's FrameContractTest holds the runtime to it), so they make no subclass of
   * FrameStack worth a look; calls to them are still found suspendable through {@link
   * #marksSuspendable}.
   */
  boolean hasMarkedMethods() {
    for (Map.Entry<String, Boolean> m : methods.entrySet()) {
      if (m.getValue() && !FrameContract.isSuspensionPoint(name, m.getKey())) {
        return true;
      }
    }
    return false;
  }

  /** Records that the rewriter found a method suspendable for a reason the header cannot show. */
  void markSuspendable(String nameAndDesc) {
    methods.put(nameAndDesc, Boolean.TRUE);
  }
}
