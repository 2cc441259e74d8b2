package dev.weft.samples;

import java.io.PrintStream;

/**
 * Progress lines for work that may take more than a few seconds: silent for the first two seconds,
 * then one line a second on the error stream (rewritten in place on a terminal), so that short runs
 * print nothing extra and the result on standard output stays clean.
 *
 * <pre>{@code
 * Progress progress = new Progress(System.err);
 * for (int i = 0; i < n; i++) {
 *   work(i);
 *   if (progress.due()) progress.show(String.format("%,d of %,d done", i, n));
 * }
 * progress.done();
 * }</pre>
 *
 * <p>{@link #due()} is one clock read, so loops can ask every iteration; the message is only
 * formatted when it will be shown.
 */
public final class Progress {
  private static final long QUIET_NANOS = 2_000_000_000L;
  private static final long INTERVAL_NANOS = 1_000_000_000L;

  private final PrintStream err;
  private final boolean inPlace;
  private final long start = System.nanoTime();
  private long nextAt = start + QUIET_NANOS;
  private boolean shown;

  /** Reports on {@code err}; lines are rewritten in place only when it is the console. */
  public Progress(PrintStream err) {
    this.err = err;
    this.inPlace = err == System.err && System.console() != null;
  }

  /** Whether a progress line should be shown now. */
  public boolean due() {
    return System.nanoTime() >= nextAt;
  }

  /** Seconds since this progress began. */
  public double elapsedSeconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Shows {@code line} now. */
  public void show(String line) {
    if (inPlace) {
      err.print("\r" + line + "    ");
    } else {
      err.println(line);
    }
    err.flush();
    shown = true;
    nextAt = System.nanoTime() + INTERVAL_NANOS;
  }

  /** Ends an in-place line so that what follows starts on a fresh one. */
  public void done() {
    if (shown && inPlace) {
      err.println();
    }
  }
}
