package dev.weft.agent.rewrite;

/**
 * Writes a rewritten method's call-site table: one string constant naming the method and, per
 * call-site index, its source line, in the layout {@code dev.weft.frame.FrameStack} documents and
 * the runtime decodes. One constant per method, where one per call site could overflow the
 * constant pool of a huge generated class.
 *
 * <pre>{@code
 * String t = SiteTable.encode("a.B.m(B.java", new int[] {42, 7});
 * // chars: 1, 12, "a.B.m(B.java", 42, 7 (12 is the length of the head); the runtime reads entry 0 as "a.B.m(B.java:42)"
 * }</pre>
 */
final class SiteTable {
  /** The first char of a table (the runtime checks it). */
  static final char MARK = '\u0001';
  /** A constant's modified UTF-8 form holds at most this many bytes. */
  static final int MAX_UTF8 = 65535;

  private SiteTable() {}

  /** "pkg.Cls.method(File.java", the part of a stack-trace line before the line number. */
  static String head(String ownerInternalName, String method, String sourceFile) {
    String file = sourceFile != null ? sourceFile : "Unknown Source";
    return ownerInternalName.replace('/', '.') + "." + method + "(" + file;
  }

  /**
   * The table for a method whose call site {@code i} is on line {@code lines[i]} (0 when unknown).
   * Lines that do not fit in one constant are left out and read back as unknown.
   */
  static String encode(String head, int[] lines) {
    if (head.length() > 0xFFFF || utf8Length(head) > MAX_UTF8 / 2) {
      head = head.substring(0, Math.min(head.length(), 1000)); // an absurd name: keep its start
    }
    StringBuilder b = new StringBuilder(2 + head.length() + lines.length);
    b.append(MARK).append((char) head.length()).append(head);
    int bytes = utf8Length(b);
    for (int line : lines) {
      char c = (char) (line > 0 && line <= 0xFFFF ? line : 0);
      bytes += utf8Length(c);
      if (bytes > MAX_UTF8) {
        break;
      }
      b.append(c);
    }
    return b.toString();
  }

  private static int utf8Length(CharSequence s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      n += utf8Length(s.charAt(i));
    }
    return n;
  }

  /** Bytes of one char in the class file's modified UTF-8 (NUL takes two). */
  private static int utf8Length(char c) {
    return c >= 1 && c <= 0x7F ? 1 : c <= 0x7FF ? 2 : 3;
  }
}
