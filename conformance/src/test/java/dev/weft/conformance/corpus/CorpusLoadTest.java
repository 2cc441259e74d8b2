package dev.weft.conformance.corpus;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** What {@link CorpusLoad} relies on: loading does not verify a class, getDeclaredMethods does. */
class CorpusLoadTest {
  private static final String NAME = "dev.weft.conformance.corpus.Unverifiable";

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void loadingDoesNotVerifyButReflectionDoes() throws Exception {
    byte[] bytes = unverifiable();
    ClassLoader loader =
        new ClassLoader(CorpusLoadTest.class.getClassLoader()) {
          @Override
          protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (!name.equals(NAME)) {
              throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
          }
        };
    Class<?> c = Class.forName(NAME, false, loader);
    assertNotNull(c);
    assertThrows(VerifyError.class, c::getDeclaredMethods);
  }

  /** A class whose one method returns an int where it promises an Object. */
  private static byte[] unverifiable() {
    ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, NAME.replace('.', '/'), null, "java/lang/Object", null);
    MethodVisitor m =
        w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "f", "()Ljava/lang/Object;", null, null);
    m.visitCode();
    m.visitInsn(Opcodes.ICONST_1);
    m.visitInsn(Opcodes.ARETURN);
    m.visitMaxs(0, 0);
    m.visitEnd();
    w.visitEnd();
    return w.toByteArray();
  }
}
