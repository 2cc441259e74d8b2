package dev.weft.samples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A sample run in this JVM, its exit status and what it printed. */
final class Captured {
  /** A sample's in-process entry point. */
  interface Sample {
    int run(String[] args, PrintStream out, PrintStream err) throws Exception;
  }

  final int status;
  final String out;
  final String err;

  private Captured(int status, String out, String err) {
    this.status = status;
    this.out = out;
    this.err = err;
  }

  static Captured run(Sample sample, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = sample.run(args, o, e);
    }
    return new Captured(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The number captured by the first group of {@code regex} in the output, commas removed. */
  double number(String regex) {
    Matcher m = Pattern.compile(regex).matcher(out);
    if (!m.find()) {
      throw new AssertionError("no match for /" + regex + "/ in:\n" + out + "\n" + err);
    }
    return Double.parseDouble(m.group(1).replace(",", ""));
  }

  @Override
  public String toString() {
    return "status " + status + "\n--- out\n" + out + "--- err\n" + err;
  }
}
