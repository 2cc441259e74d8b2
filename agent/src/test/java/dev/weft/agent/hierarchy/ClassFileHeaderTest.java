package dev.weft.agent.hierarchy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.agent.ClassFiles;
import example.fixtures.PreCheckShapes;
import example.fixtures.Shapes;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import dev.weft.agent.core.FrameContract;
import dev.weft.agent.rewrite.RewriteMark;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/** The byte-level header reader agrees with ASM on every class of real jars. */
class ClassFileHeaderTest {
  /** What ASM reads of the same class, in the header's terms. */
  private static void assertSameAsAsm(byte[] bytes, String where) {
    ClassFileHeader h = ClassFileHeader.read(bytes);
    ClassReader reader = new ClassReader(bytes);
    assertEquals(reader.getClassName(), h.name, where);
    assertEquals(reader.getSuperName(), h.superName, where);
    assertArrayEquals(reader.getInterfaces(), h.interfaces, where);
    assertEquals(reader.getAccess(), h.access, where);
    assertEquals(flagsByAsm(reader, bytes), h.found, where);
    Set<String> types = new LinkedHashSet<>();
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String sig, String[] exceptions) {
            return new MethodVisitor(Opcodes.ASM9) {
              @Override
              public void visitInvokeDynamicInsn(
                  String n, String d, Handle bsm, Object... args) {
                Type ret = Type.getReturnType(d);
                if (ret.getSort() == Type.OBJECT) {
                  types.add(ret.getInternalName());
                }
              }
            };
          }
        },
        ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    Set<String> mine = new LinkedHashSet<>(Arrays.asList(h.callSiteTypes));
    assertEquals(types, mine, where);
    assertEquals(RewriteMark.versionOf(reader), h.rewrittenVersion(), where);
    assertEquals(hasCodeByAsm(reader), h.hasCode(), where);
  }

  private static boolean hasCodeByAsm(ClassReader reader) {
    boolean[] code = {false};
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String sig, String[] exceptions) {
            code[0] |= (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
            return null;
          }
        },
        ClassReader.SKIP_CODE);
    return code[0];
  }

  /**
   * A class with the given class annotations (each written by {@code writer}) and one field and
   * method, each with an attribute of its own, to be skipped on the way to the annotations.
   */
  @SafeVarargs
  private static byte[] annotated(
      boolean abstractOnly, java.util.function.Consumer<ClassWriter>... annotations) {
    ClassWriter w = new ClassWriter(0);
    w.visit(
        Opcodes.V17,
        Opcodes.ACC_PUBLIC | (abstractOnly ? Opcodes.ACC_ABSTRACT | Opcodes.ACC_INTERFACE : 0),
        "example/Marked",
        null,
        "java/lang/Object",
        null);
    w.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "K", "I", null, 3).visitEnd();
    MethodVisitor m =
        w.visitMethod(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, "work", "()V", null, new String[] {"E"});
    m.visitAnnotation(ClassInfo.SUSPENDABLE_DESC, true).visitEnd();
    m.visitEnd();
    if (!abstractOnly) {
      m = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "plain", "()V", null, null);
      m.visitCode();
      m.visitInsn(Opcodes.RETURN);
      m.visitMaxs(0, 0);
      m.visitEnd();
    }
    for (java.util.function.Consumer<ClassWriter> a : annotations) {
      a.accept(w);
    }
    w.visitEnd();
    return w.toByteArray();
  }

  private static java.util.function.Consumer<ClassWriter> mark(boolean visible, Object version) {
    return w -> {
      AnnotationVisitor a = w.visitAnnotation(FrameContract.REWRITTEN_DESC, visible);
      a.visit("other", 12345);
      if (version != null) {
        a.visit(FrameContract.REWRITTEN_VERSION, version);
      }
      a.visitEnd();
    };
  }

  /** An annotation with an element of every kind, nested, to be skipped. */
  private static java.util.function.Consumer<ClassWriter> busy(boolean visible) {
    return w -> {
      AnnotationVisitor a = w.visitAnnotation("Lexample/Busy;", visible);
      a.visit("i", 7);
      a.visit("j", 7L);
      a.visit("d", 7.5);
      a.visit("z", true);
      a.visit("s", "text");
      a.visit("c", Type.getType("Ljava/lang/String;"));
      a.visit("ints", new int[] {1, 2, 3});
      a.visitEnum("e", "Lexample/Kind;", "ONE");
      AnnotationVisitor nested = a.visitAnnotation("n", "Lexample/Inner;");
      nested.visit(FrameContract.REWRITTEN_VERSION, 99); // same name, another annotation
      AnnotationVisitor array = nested.visitArray("deep");
      array.visit(null, "x");
      array.visitAnnotation(null, FrameContract.REWRITTEN_DESC).visitEnd();
      array.visitEnd();
      nested.visitEnd();
      AnnotationVisitor values = a.visitArray("values");
      values.visitEnum(null, "Lexample/Kind;", "TWO");
      values.visit(null, Type.getType("[I"));
      values.visitEnd();
      a.visitEnd();
    };
  }

  @Test
  @Timeout(30)
  void readsTheMarksVersionAsAsmDoes() {
    int version = FrameContract.VERSION;
    byte[][] classes = {
      annotated(false),
      annotated(false, busy(true), busy(false)),
      annotated(false, mark(false, version)),
      annotated(false, busy(false), mark(false, version), busy(true)),
      annotated(false, busy(true), mark(true, 7)),
      annotated(false, mark(false, null)),
      annotated(false, mark(false, "1")),
      annotated(false, mark(false, (long) version)),
      annotated(false, mark(false, 3), mark(false, version)),
      annotated(true, mark(false, version)),
      annotated(true, busy(true)),
    };
    int[] expected = {-1, -1, version, version, 7, 0, 0, 0, version, version, -1};
    for (int k = 0; k < classes.length; k++) {
      ClassFileHeader h = ClassFileHeader.read(classes[k]);
      assertEquals(expected[k], h.rewrittenVersion(), "class " + k);
      assertEquals(k < 9, h.hasCode(), "class " + k);
      assertSameAsAsm(classes[k], "class " + k);
    }
  }

  @Test
  @Timeout(30)
  void aClassCutShortInItsMembersIsRejectedClearly() {
    byte[] whole = annotated(false, busy(false), mark(false, FrameContract.VERSION));
    int members = whole.length - 60;
    ClassFileHeader h = ClassFileHeader.read(Arrays.copyOf(whole, members));
    assertThrows(IllegalArgumentException.class, h::rewrittenVersion);
  }

  /** The flags as the constant pool holds them, found through ASM's item offsets. */
  private static int flagsByAsm(ClassReader reader, byte[] bytes) {
    int found = 0;
    for (int i = 1; i < reader.getItemCount(); i++) {
      int offset = reader.getItem(i);
      if (offset <= 0 || bytes[offset - 1] != 1) {
        continue;
      }
      String s;
      try {
        s = new DataInputStream(new ByteArrayInputStream(bytes, offset, bytes.length - offset)).readUTF();
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      if (s.equals(ClassInfo.SUSPENDABLE_DESC)) {
        found |= ClassFileHeader.ANNOTATED;
      } else if (s.equals(dev.weft.agent.core.FrameContract.REWRITTEN_DESC)) {
        found |= ClassFileHeader.REWRITTEN;
      } else if (s.equals("java/lang/invoke/LambdaMetafactory")) {
        found |= ClassFileHeader.LAMBDAS;
      } else if (s.equals("RuntimeVisibleAnnotations") || s.equals("RuntimeInvisibleAnnotations")) {
        found |= ClassFileHeader.ANY_ANNOTATION;
      }
    }
    return found;
  }

  @Test
  @Timeout(120)
  void agreesWithAsmOnEveryClassOfRealJars() throws IOException {
    int classes = 0;
    for (String resource :
        new String[] {
          "org/apache/commons/lang3/ArrayUtils.class", "kotlin/collections/ArraysKt.class"
        }) {
      URL url = getClass().getClassLoader().getResource(resource);
      JarURLConnection connection = (JarURLConnection) url.openConnection();
      connection.setUseCaches(false);
      try (JarFile jar = connection.getJarFile()) {
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
          JarEntry entry = e.nextElement();
          if (!entry.getName().endsWith(".class")) {
            continue;
          }
          try (InputStream in = jar.getInputStream(entry)) {
            assertSameAsAsm(in.readAllBytes(), entry.getName());
            classes++;
          }
        }
      }
    }
    assertTrue(classes > 1000, classes + " classes");
  }

  @Test
  @Timeout(30)
  void readsTheFixtures() throws IOException {
    for (Class<?> c :
        new Class<?>[] {
          Shapes.class,
          Shapes.Doubler.class,
          PreCheckShapes.LambdaToStep.class,
          PreCheckShapes.ReferenceToStep.class,
          PreCheckShapes.Step.class,
          PreCheckShapes.Handler.class
        }) {
      assertSameAsAsm(ClassFiles.bytesOf(c), c.getName());
    }
    ClassFileHeader lambdas = ClassFileHeader.read(ClassFiles.bytesOf(PreCheckShapes.LambdaToStep.class));
    assertArrayEquals(new String[] {"example/fixtures/PreCheckShapes$Step"}, lambdas.callSiteTypes);
    assertEquals(ClassFileHeader.LAMBDAS, lambdas.found);
    ClassFileHeader annotated = ClassFileHeader.read(ClassFiles.bytesOf(Shapes.class));
    assertTrue((annotated.found & ClassFileHeader.ANNOTATED) != 0);
  }

  @Test
  @Timeout(30)
  void decodesNamesBeyondAscii() {
    ClassWriter w = new ClassWriter(0);
    w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "ünï/Cläss€\u0000", null, "java/lang/Object",
        new String[] {"ünï/Ïtf"});
    w.visitEnd();
    byte[] bytes = w.toByteArray();
    ClassFileHeader h = ClassFileHeader.read(bytes);
    assertEquals("ünï/Cläss€\u0000", h.name);
    assertArrayEquals(new String[] {"ünï/Ïtf"}, h.interfaces);
    assertSameAsAsm(bytes, "non-ASCII");
  }

  @Test
  @Timeout(30)
  void rejectsWhatIsNotAClassFile() throws IOException {
    assertThrows(IllegalArgumentException.class, () -> ClassFileHeader.read(new byte[] {1, 2, 3}));
    assertThrows(
        IllegalArgumentException.class,
        () -> ClassFileHeader.read(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 0, 9, 1}));
    byte[] good = ClassFiles.bytesOf(Shapes.class);
    for (int cut : new int[] {10, 11, 50}) {
      byte[] truncated = Arrays.copyOf(good, cut);
      assertThrows(IllegalArgumentException.class, () -> ClassFileHeader.read(truncated), "cut at " + cut);
    }
    byte[] badTag = good.clone();
    badTag[10] = 99;
    assertThrows(IllegalArgumentException.class, () -> ClassFileHeader.read(badTag));
  }
}
