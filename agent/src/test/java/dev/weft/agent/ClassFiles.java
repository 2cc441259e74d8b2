package dev.weft.agent;

import dev.weft.agent.core.FrameContract;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.CheckClassAdapter;

/** Class files for the agent's tests: read from the class path, checked, and looked into. */
public final class ClassFiles {
  private ClassFiles() {}

  public static byte[] bytesOf(Class<?> c) throws IOException {
    try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  /** Method name + descriptor to whether the agent marked it instrumented. */
  public static Map<String, Boolean> instrumented(byte[] bytes) {
    ClassNode cn = new ClassNode();
    new ClassReader(bytes).accept(cn, 0);
    Map<String, Boolean> out = new TreeMap<>();
    for (MethodNode m : cn.methods) {
      boolean marked = false;
      if (m.visibleAnnotations != null) {
        for (AnnotationNode a : m.visibleAnnotations) {
          marked |= a.desc.equals(FrameContract.INSTRUMENTED_DESC);
        }
      }
      out.put(m.name + m.desc, marked);
    }
    return out;
  }

  public static void assertValid(byte[] bytes) {
    // Structure and data flow, as ASM's own checker sees them.
    new ClassReader(bytes).accept(new CheckClassAdapter(new ClassNode(), true), 0);
  }
}
