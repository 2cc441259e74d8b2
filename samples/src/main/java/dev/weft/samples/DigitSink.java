package dev.weft.samples;

import java.io.PrintStream;

/**
 * Where the hacker-cliché fibers print: counts each digit and how often the printing fiber changed,
 * and echoes the digits in lines of fixed width (or not at all, when quiet).
 *
 * <pre>{@code
 * DigitSink sink = new DigitSink(System.out, 72);
 * while (sink.print('1')) { }   // until someone calls sink.close()
 * }</pre>
 *
 * <p>Every method holds this object's monitor only for a few instructions and never calls
 * suspendable code, so a fiber never suspends while holding it. The digits are buffered here and
 * written out a line at a time, which keeps the printing fibers, not the terminal, the bottleneck.
 */
public final class DigitSink {
  private final PrintStream out;
  private final char[] line;
  private int column;
  private final long[] counts = new long[10];
  private char last;
  private long switches;
  private boolean closed;

  /** Echoes to {@code out} in lines of {@code width} digits; a null {@code out} echoes nothing. */
  public DigitSink(PrintStream out, int width) {
    this.out = out;
    this.line = new char[width];
  }

  /** Prints {@code digit}; returns false, printing nothing, once the sink is closed. */
  public synchronized boolean print(char digit) {
    if (closed) {
      return false;
    }
    counts[digit - '0']++;
    if (digit != last) {
      if (last != 0) {
        switches++;
      }
      last = digit;
    }
    if (out != null) {
      line[column++] = digit;
      if (column == line.length) {
        flushLine();
      }
    }
    return true;
  }

  /** Stops all printing and ends the current line. */
  public synchronized void close() {
    if (!closed) {
      closed = true;
      if (out != null && column > 0) {
        flushLine();
      }
    }
  }

  /** How many times {@code digit} was printed. */
  public synchronized long count(char digit) {
    return counts[digit - '0'];
  }

  /** How many times the digit printed differed from the one before it. */
  public synchronized long switches() {
    return switches;
  }

  private void flushLine() {
    out.println(String.valueOf(line, 0, column));
    column = 0;
  }
}
