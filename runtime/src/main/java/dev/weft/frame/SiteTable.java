package dev.weft.frame;

/**
 * Reads the call-site table a rewritten method passes to {@link FrameStack#pushFrame}: one string
 * constant per method instead of one per call site, decoded only when a dump or an error needs a
 * saved frame's place. Its layout is written down in {@link FrameStack}'s comment:
 *
 * <pre>
 *   char 0        MARK
 *   char 1        n, the length of the head
 *   chars 2..n+1  the head, "pkg.Cls.method(File.java"
 *   then          one char per call-site index: its source line (0: none known)
 * </pre>
 *
 * A site string without the mark (an older rewrite) names its one call site as it is.
 */
final class SiteTable {
  /** The first char of a table; no stack-trace line starts with it. */
  static final char MARK = '\u0001';

  private SiteTable() {}

  /** "pkg.Cls.method(File.java:42)" for call-site index {@code entry} of {@code table}. */
  static String site(Object table, int entry) {
    String t = String.valueOf(table);
    if (t.isEmpty() || t.charAt(0) != MARK || t.length() < 2) {
      return t;
    }
    int headEnd = 2 + t.charAt(1);
    if (headEnd > t.length()) {
      return t.substring(2); // malformed: show what there is
    }
    String head = t.substring(2, headEnd);
    int at = headEnd + entry;
    int line = entry >= 0 && at < t.length() ? t.charAt(at) : 0;
    return line == 0 ? head + ")" : head + ":" + line + ")";
  }

  /** "pkg.Cls.method", the method a table belongs to. */
  static String method(String table) {
    String site = site(table, -1);
    int paren = site.lastIndexOf('(');
    return paren < 0 ? site : site.substring(0, paren);
  }
}
