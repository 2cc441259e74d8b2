package dev.weft.doccheck;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One compilation unit made from a block: its file name, its text, and how many lines of the
 * unit come before the block's first line (a generated wrapper's, or earlier units'), so that a
 * compiler's line maps back to the page.
 *
 * @param mainClass the binary name of the class whose {@code main} runs the unit, or null
 */
record SourceUnit(String fileName, String text, int linesBefore, String mainClass) {

  /** Imported by every fragment's wrapper. */
  static final String FRAGMENT_IMPORTS =
      "import dev.weft.*; import dev.weft.net.*; import dev.weft.io.*; import java.util.*;"
          + " import java.util.concurrent.*; import java.io.*; import java.nio.*;"
          + " import java.nio.charset.*; import java.time.*;";

  private static final Pattern TYPE =
      Pattern.compile(
          "^(?:public\\s+|final\\s+|abstract\\s+|sealed\\s+|non-sealed\\s+|@\\w+\\s+)*"
              + "(?:class|interface|enum|record|@interface)\\s+(\\w+)",
          Pattern.MULTILINE);
  private static final Pattern PUBLIC_TYPE =
      Pattern.compile(
          "^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+)*(?:class|interface|enum|record)\\s+(\\w+)",
          Pattern.MULTILINE);
  private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  private static final Pattern MAIN =
      Pattern.compile("public\\s+static\\s+void\\s+main\\s*\\(\\s*(?:final\\s+)?String");

  /**
   * The units of a block of whole compilation units. A new unit starts at a {@code package} or
   * {@code import} line that follows a type declaration of the unit before it.
   */
  static List<SourceUnit> units(CodeBlock block) {
    String[] lines = block.text().split("\n", -1);
    List<SourceUnit> units = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int currentStart = 0;
    boolean sawType = false;
    for (int i = 0; i < lines.length; i++) {
      String t = lines[i].strip();
      boolean header = t.startsWith("package ") || t.startsWith("import ");
      if (header && sawType) {
        units.add(unit(block, current.toString(), currentStart, units.size()));
        current.setLength(0);
        currentStart = i;
        sawType = false;
      }
      if (TYPE.matcher(t).find()) {
        sawType = true;
      }
      current.append(lines[i]).append('\n');
    }
    units.add(unit(block, current.toString(), currentStart, units.size()));
    return units;
  }

  private static SourceUnit unit(CodeBlock block, String body, int start, int index) {
    // Blank lines in front keep the unit's line numbers those of the block.
    String text = "\n".repeat(start) + body;
    Matcher pub = PUBLIC_TYPE.matcher(body);
    Matcher any = TYPE.matcher(body);
    String type = pub.find() ? pub.group(1) : any.find() ? any.group(1) : "Unit" + index;
    String main = null;
    if (MAIN.matcher(body).find()) {
      Matcher pkg = PACKAGE.matcher(body);
      main = pkg.find() ? pkg.group(1) + "." + type : type;
    }
    return new SourceUnit(type + ".java", text, 0, main);
  }

  /** A fragment as statements of a method. */
  static SourceUnit statements(CodeBlock block) {
    return fragment(block, "class Fragment { void fragment() throws Exception { ", "}}\n");
  }

  /** A fragment as members of a class. */
  static SourceUnit members(CodeBlock block) {
    return fragment(block, "class Fragment { ", "}\n");
  }

  /**
   * The fragment inside a generated class, line for line: the common imports take the unit's
   * first line, the fragment's own {@code import} lines (it may start with some) stay where they
   * are, and the class opens on the line of the first statement or member.
   */
  private static SourceUnit fragment(CodeBlock block, String open, String close) {
    String[] lines = block.text().split("\n", -1);
    StringBuilder text = new StringBuilder(FRAGMENT_IMPORTS).append('\n');
    boolean opened = false;
    for (String line : lines) {
      String t = line.strip();
      if (!opened && !t.isEmpty() && !t.startsWith("import ")) {
        text.append(open);
        opened = true;
      }
      text.append(line).append('\n');
    }
    if (!opened) {
      text.append(open);
    }
    text.append(close);
    return new SourceUnit("Fragment.java", text.toString(), 1, null);
  }
}
