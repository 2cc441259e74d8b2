package dev.weft.agent;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** What a piece of code writes to standard error, for tests of the agent's warnings. */
public final class CapturedErr {
  private CapturedErr() {}

  public static String of(Runnable r) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true));
    try {
      r.run();
    } finally {
      System.setErr(old);
    }
    return buf.toString();
  }
}
