package dev.weft.doccheck;

import java.util.List;

/**
 * A fenced code block of a page: its info string split into words ({@code java fragment} gives
 * {@code [java, fragment]}), its text, and where it is, so that a problem can name the line.
 *
 * @param page the page, as the checkout names it ({@code docs/net.md})
 * @param firstLine the page's line number of the block's first line of text (after the fence)
 */
record CodeBlock(String page, int firstLine, List<String> info, String text) {

  /** The language word of the info string, or "" when the fence has none. */
  String language() {
    return info.isEmpty() ? "" : info.get(0);
  }

  /** The words after the language: the block's markers. */
  List<String> markers() {
    return info.isEmpty() ? List.of() : info.subList(1, info.size());
  }

  /** Where a line of the block's text is, as {@code page:line}; {@code index} counts from 0. */
  String at(int index) {
    return page + ":" + (firstLine + index);
  }
}
