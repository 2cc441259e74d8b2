package dev.weft.frame;

import java.util.Locale;

/** Reads a size such as {@code 512m}, {@code 1g} or {@code 65536} from a system property. */
public final class StackLimit {
  private StackLimit() {}

  /**
   * The size the property names, in bytes, or {@code fallback} when it is absent.
   *
   * @throws IllegalArgumentException when the property is set but is not a positive size
   */
  public static long fromProperty(String property, long fallback) {
    String text = System.getProperty(property);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    return parse(property, text);
  }

  static long parse(String property, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    char last = t.charAt(t.length() - 1);
    if (last == 'k' || last == 'm' || last == 'g' || last == 't') {
      unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : last == 'g' ? 1L << 30 : 1L << 40;
      t = t.substring(0, t.length() - 1);
    }
    try {
      long n = Long.parseLong(t);
      if (n <= 0 || n > Long.MAX_VALUE / unit) {
        throw new NumberFormatException();
      }
      return n * unit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + property + "=" + text + " is not a size: use bytes or a number with k, m or g (e.g. 512m)");
    }
  }
}
