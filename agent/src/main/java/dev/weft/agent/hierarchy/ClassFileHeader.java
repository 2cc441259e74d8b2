package dev.weft.agent.hierarchy;

import dev.weft.agent.core.FrameContract;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the transformer needs to reject a class, read straight from the class file's bytes,
 * without ASM: its name, supertypes and access flags, whether its constant pool mentions {@code
 * @Suspendable}, the agent's mark, the lambda factory or annotations at all, and the types its
 * {@code invokedynamic} call sites produce. Almost every class a large application loads is
 * decided from this alone, so ASM's classes are neither loaded nor compiled for them.
 *
 * <pre>{@code
 * ClassFileHeader h = ClassFileHeader.read(bytes);
 * if ((h.found & ClassFileHeader.ANNOTATED) != 0) { ... }
 * }</pre>
 *
 * <p>One pass over the constant pool, which allocates only the few names it returns.
 */
public final class ClassFileHeader {
  /** The constant pool holds {@code Ldev/weft/Suspendable;}. */
  public static final int ANNOTATED = 1;
  /** The constant pool names {@code java/lang/invoke/LambdaMetafactory}. */
  public static final int LAMBDAS = 2;
  /** Some member carries an annotation: worth a look when {@code @} lines name annotations. */
  public static final int ANY_ANNOTATION = 4;
  /** The class carries the agent's mark: it was written by the agent before, ahead of time. */
  public static final int REWRITTEN = 8;

  private static final byte[] SUSPENDABLE =
      ClassInfo.SUSPENDABLE_DESC.getBytes(StandardCharsets.UTF_8);
  private static final byte[] REWRITTEN_MARK =
      FrameContract.REWRITTEN_DESC.getBytes(StandardCharsets.UTF_8);
  private static final byte[] LAMBDA_FACTORY =
      "java/lang/invoke/LambdaMetafactory".getBytes(StandardCharsets.UTF_8);
  private static final byte[] VISIBLE_ANNOTATIONS =
      "RuntimeVisibleAnnotations".getBytes(StandardCharsets.UTF_8);
  private static final byte[] INVISIBLE_ANNOTATIONS =
      "RuntimeInvisibleAnnotations".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CONTRACT =
      FrameContract.REWRITTEN_VERSION.getBytes(StandardCharsets.UTF_8);
  private static final String[] NONE = new String[0];
  private static final int ACC_NATIVE = 0x0100;
  private static final int ACC_ABSTRACT = 0x0400;
  private static final int INTEGER = 3;

  private static final int UTF8 = 1;
  private static final int LONG = 5;
  private static final int DOUBLE = 6;
  private static final int CLASS = 7;
  private static final int NAME_AND_TYPE = 12;
  private static final int INVOKE_DYNAMIC = 18;

  /** {@link #ANNOTATED}, {@link #LAMBDAS}, {@link #ANY_ANNOTATION}, {@link #REWRITTEN}. */
  public final int found;

  public final int access;
  /** Internal names. */
  public final String name;

  public final String superName;
  public final String[] interfaces;
  /**
   * The distinct object types returned by the class's {@code invokedynamic} call sites, in
   * internal form: the functional interfaces of its lambdas and method references, among others.
   */
  public final String[] callSiteTypes;

  /** The class file, for the members and attributes read only when asked. */
  private final byte[] bytes;
  /** Each constant pool entry's offset (of its tag). */
  private final int[] offsets;
  /** Where the fields begin: their count, right after the interfaces. */
  private final int fieldsAt;

  private ClassFileHeader(
      int found,
      int access,
      String name,
      String superName,
      String[] interfaces,
      String[] callSiteTypes,
      byte[] bytes,
      int[] offsets,
      int fieldsAt) {
    this.found = found;
    this.access = access;
    this.name = name;
    this.superName = superName;
    this.interfaces = interfaces;
    this.callSiteTypes = callSiteTypes;
    this.bytes = bytes;
    this.offsets = offsets;
    this.fieldsAt = fieldsAt;
  }

  /**
   * Whether some method has code (is neither abstract nor native). A class without any, such as a
   * functional interface, has nothing the rewriter could change.
   *
   * @throws IllegalArgumentException when the class file is cut short
   */
  public boolean hasCode() {
    try {
      int p = skipMembers(fieldsAt);
      int methods = u2(bytes, p);
      p += 2;
      for (int k = 0; k < methods; k++) {
        if ((u2(bytes, p) & (ACC_ABSTRACT | ACC_NATIVE)) == 0) {
          return true;
        }
        p = skipAttributes(p + 6);
      }
      return false;
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("the class file is cut short", e);
    }
  }

  /**
   * The frame-stack contract version in the agent's mark, as {@code RewriteMark.versionOf} reads
   * it with ASM: {@code -1} without the mark, 0 when the mark holds no {@code int} version. Read
   * from the class's annotations, without loading or running ASM, for every class written ahead
   * of time that a program loads.
   *
   * @throws IllegalArgumentException when the class file is cut short or malformed
   */
  public int rewrittenVersion() {
    try {
      int p = skipMembers(skipMembers(fieldsAt));
      int attributes = u2(bytes, p);
      p += 2;
      int version = UNMARKED;
      for (int k = 0; k < attributes; k++) {
        int attributeName = u2(bytes, p);
        int end = p + 6 + u4(bytes, p + 2);
        if (isUtf8(attributeName, VISIBLE_ANNOTATIONS)
            || isUtf8(attributeName, INVISIBLE_ANNOTATIONS)) {
          version = markIn(p + 6, version);
        }
        p = end;
      }
      return version;
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("the class file is cut short", e);
    }
  }

  /** What {@link #rewrittenVersion} answers for a class without the mark. */
  public static final int UNMARKED = -1;

  /** The version of the last mark in one annotations attribute, or {@code version} if none. */
  private int markIn(int p, int version) {
    int annotations = u2(bytes, p);
    p += 2;
    for (int k = 0; k < annotations; k++) {
      boolean mark = isUtf8(u2(bytes, p), REWRITTEN_MARK);
      if (mark) {
        version = 0;
      }
      int pairs = u2(bytes, p + 2);
      p += 4;
      for (int j = 0; j < pairs; j++) {
        boolean named = mark && isUtf8(u2(bytes, p), CONTRACT);
        p += 2;
        if (named && bytes[p] == 'I') {
          int constant = offsets[u2(bytes, p + 1)];
          check(bytes, constant, INTEGER);
          version = u4(bytes, constant + 1);
        }
        p = skipElementValue(p);
      }
    }
    return version;
  }

  private int skipElementValue(int p) {
    switch (bytes[p]) {
      case 'B': case 'C': case 'D': case 'F': case 'I': case 'J': case 'S': case 'Z': case 's':
      case 'c':
        return p + 3;
      case 'e':
        return p + 5;
      case '@':
        return skipAnnotation(p + 1);
      case '[':
        int values = u2(bytes, p + 1);
        p += 3;
        for (int k = 0; k < values; k++) {
          p = skipElementValue(p);
        }
        return p;
      default:
        throw new IllegalArgumentException("unknown annotation element tag " + bytes[p]);
    }
  }

  private int skipAnnotation(int p) {
    int pairs = u2(bytes, p + 2);
    p += 4;
    for (int k = 0; k < pairs; k++) {
      p = skipElementValue(p + 2);
    }
    return p;
  }

  /** Skips a fields or methods table. */
  private int skipMembers(int p) {
    int members = u2(bytes, p);
    p += 2;
    for (int k = 0; k < members; k++) {
      p = skipAttributes(p + 6);
    }
    return p;
  }

  private int skipAttributes(int p) {
    int attributes = u2(bytes, p);
    p += 2;
    for (int k = 0; k < attributes; k++) {
      p += 6 + u4(bytes, p + 2);
    }
    return p;
  }

  private boolean isUtf8(int index, byte[] wanted) {
    int at = offsets[index];
    check(bytes, at, UTF8);
    return equals(bytes, at + 3, u2(bytes, at + 1), wanted);
  }

  /**
   * Reads the header of a class file.
   *
   * @throws IllegalArgumentException when the bytes are not a class file or are cut short
   */
  public static ClassFileHeader read(byte[] b) {
    try {
      return parse(b);
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("the class file is cut short", e);
    }
  }

  private static ClassFileHeader parse(byte[] b) {
    if (b.length < 10 || u4(b, 0) != 0xCAFEBABE) {
      throw new IllegalArgumentException("not a class file (no 0xCAFEBABE at the start)");
    }
    int count = u2(b, 8);
    int[] offsets = new int[count]; // of each entry's tag
    int found = 0;
    int indys = 0;
    int p = 10;
    for (int i = 1; i < count; i++) {
      offsets[i] = p;
      int tag = b[p];
      switch (tag) {
        case UTF8:
          int length = u2(b, p + 1);
          found |= flag(b, p + 3, length);
          p += 3 + length;
          break;
        case 3: // Integer
        case 4: // Float
        case 9: // Fieldref
        case 10: // Methodref
        case 11: // InterfaceMethodref
        case NAME_AND_TYPE:
        case 17: // Dynamic
          p += 5;
          break;
        case INVOKE_DYNAMIC:
          indys++;
          p += 5;
          break;
        case LONG:
        case DOUBLE:
          p += 9;
          i++; // takes two slots
          break;
        case CLASS:
        case 8: // String
        case 16: // MethodType
        case 19: // Module
        case 20: // Package
          p += 3;
          break;
        case 15: // MethodHandle
          p += 4;
          break;
        default:
          throw new IllegalArgumentException("unknown constant pool tag " + tag + " at entry " + i);
      }
    }
    int access = u2(b, p);
    String name = className(b, offsets, u2(b, p + 2));
    int superIndex = u2(b, p + 4);
    String superName = superIndex == 0 ? null : className(b, offsets, superIndex);
    int n = u2(b, p + 6);
    String[] interfaces = n == 0 ? NONE : new String[n];
    for (int k = 0; k < n; k++) {
      interfaces[k] = className(b, offsets, u2(b, p + 8 + 2 * k));
    }
    String[] callSiteTypes = indys == 0 ? NONE : callSiteTypes(b, offsets, indys);
    return new ClassFileHeader(
        found, access, name, superName, interfaces, callSiteTypes, b, offsets, p + 8 + 2 * n);
  }

  /** The return types of the InvokeDynamic entries that are object types, each once. */
  private static String[] callSiteTypes(byte[] b, int[] offsets, int indys) {
    String[] types = new String[indys];
    int n = 0;
    for (int i = 1; i < offsets.length; i++) {
      int at = offsets[i];
      if (at == 0 || b[at] != INVOKE_DYNAMIC) {
        continue;
      }
      int nameAndType = offsets[u2(b, at + 3)];
      check(b, nameAndType, NAME_AND_TYPE);
      int desc = offsets[u2(b, nameAndType + 3)];
      check(b, desc, UTF8);
      int length = u2(b, desc + 1);
      int end = desc + 3 + length;
      int close = b[end - 1] == ';' ? end - 1 : -1;
      int open = close < 0 ? -1 : lastIndexOf(b, desc + 3, close, (byte) ')');
      if (open < 0 || b[open + 1] != 'L') {
        continue; // returns a primitive, an array or void: no functional interface
      }
      String type = utf8(b, open + 2, close - open - 2);
      if (!contains(types, n, type)) {
        types[n++] = type;
      }
    }
    return Arrays.copyOf(types, n);
  }

  private static boolean contains(String[] a, int n, String s) {
    for (int k = 0; k < n; k++) {
      if (a[k].equals(s)) {
        return true;
      }
    }
    return false;
  }

  private static int flag(byte[] b, int start, int length) {
    if (equals(b, start, length, SUSPENDABLE)) {
      return ANNOTATED;
    }
    if (equals(b, start, length, REWRITTEN_MARK)) {
      return REWRITTEN;
    }
    if (equals(b, start, length, LAMBDA_FACTORY)) {
      return LAMBDAS;
    }
    if (equals(b, start, length, VISIBLE_ANNOTATIONS)
        || equals(b, start, length, INVISIBLE_ANNOTATIONS)) {
      return ANY_ANNOTATION;
    }
    return 0;
  }

  private static String className(byte[] b, int[] offsets, int index) {
    int at = offsets[index];
    check(b, at, CLASS);
    int utf = offsets[u2(b, at + 1)];
    check(b, utf, UTF8);
    return utf8(b, utf + 3, u2(b, utf + 1));
  }

  private static void check(byte[] b, int at, int tag) {
    if (at == 0 || b[at] != tag) {
      throw new IllegalArgumentException(
          "constant pool entry at byte " + at + " is not tag " + tag);
    }
  }

  /** Decodes the JVM's modified UTF-8 (ASCII names, the common case, take the first loop only). */
  private static String utf8(byte[] b, int start, int length) {
    int end = start + length;
    boolean ascii = true;
    for (int k = start; k < end; k++) {
      if (b[k] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(b, start, length, StandardCharsets.ISO_8859_1);
    }
    char[] out = new char[length];
    int n = 0;
    for (int k = start; k < end; ) {
      int c = b[k++] & 0xFF;
      if (c < 0x80) {
        out[n++] = (char) c;
      } else if ((c & 0xE0) == 0xC0) {
        out[n++] = (char) (((c & 0x1F) << 6) | (b[k++] & 0x3F));
      } else {
        out[n++] = (char) (((c & 0x0F) << 12) | ((b[k++] & 0x3F) << 6) | (b[k++] & 0x3F));
      }
    }
    return new String(out, 0, n);
  }

  private static int lastIndexOf(byte[] b, int from, int to, byte wanted) {
    for (int k = to - 1; k >= from; k--) {
      if (b[k] == wanted) {
        return k;
      }
    }
    return -1;
  }

  private static boolean equals(byte[] b, int start, int length, byte[] wanted) {
    if (length != wanted.length) {
      return false;
    }
    for (int k = 0; k < length; k++) {
      if (b[start + k] != wanted[k]) {
        return false;
      }
    }
    return true;
  }

  private static int u2(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  private static int u4(byte[] b, int at) {
    return (u2(b, at) << 16) | u2(b, at + 2);
  }
}
