package dev.weft.doccheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fenced code blocks of a Markdown page, in order. A fence is three or more backticks or
 * tildes, possibly indented (inside a list item); the block ends at a fence of the same character
 * at least as long. The fence's indentation is taken off the block's lines.
 */
final class FencedBlocks {
  private FencedBlocks() {}

  static List<CodeBlock> of(String page, String markdown) {
    List<CodeBlock> blocks = new ArrayList<>();
    String[] lines = markdown.split("\r?\n", -1);
    int i = 0;
    while (i < lines.length) {
      Fence open = Fence.at(lines[i]);
      if (open == null) {
        i++;
        continue;
      }
      int start = i + 1;
      int end = start;
      while (end < lines.length && !open.closedBy(lines[end])) {
        end++;
      }
      StringBuilder text = new StringBuilder();
      for (int k = start; k < end; k++) {
        text.append(open.unindent(lines[k])).append('\n');
      }
      List<String> info =
          open.info.isBlank() ? List.of() : Arrays.asList(open.info.trim().split("\\s+"));
      blocks.add(new CodeBlock(page, start + 1, List.copyOf(info), text.toString()));
      i = end + 1;
    }
    return blocks;
  }

  /** An opening fence: its indentation, character, length and info string. */
  private record Fence(int indent, char mark, int length, String info) {
    static Fence at(String line) {
      int indent = 0;
      while (indent < line.length() && line.charAt(indent) == ' ') {
        indent++;
      }
      if (indent == line.length()) {
        return null;
      }
      char c = line.charAt(indent);
      if (c != '`' && c != '~') {
        return null;
      }
      int n = indent;
      while (n < line.length() && line.charAt(n) == c) {
        n++;
      }
      if (n - indent < 3) {
        return null;
      }
      return new Fence(indent, c, n - indent, line.substring(n));
    }

    boolean closedBy(String line) {
      String t = line.strip();
      if (t.length() < length) {
        return false;
      }
      for (int k = 0; k < t.length(); k++) {
        if (t.charAt(k) != mark) {
          return false;
        }
      }
      return true;
    }

    String unindent(String line) {
      int k = 0;
      while (k < indent && k < line.length() && line.charAt(k) == ' ') {
        k++;
      }
      return line.substring(k);
    }
  }
}
