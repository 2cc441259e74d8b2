package dev.weft.conformance.fuzz;

import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.Weft;
import java.util.Arrays;
import java.util.Optional;

/**
 * The suspend points generated programs call. Each records a side effect in the current {@link
 * Trace}; in a fiber it then suspends (a yield, or a hand-off through a channel) when the trace's
 * mode says so, and returns its argument, so a generated program can put a suspension wherever an
 * expression of a given type goes, with values of every type on the operand stack under it.
 *
 * <p>Programs run one at a time, so the current trace is a plain static field.
 *
 * <pre>{@code
 * long total = base + SuspendPoint.j(7, x);   // base is on the operand stack while suspended
 * }</pre>
 */
public final class SuspendPoint {
  static final String GENERATED_PACKAGE = "dev.weft.conformance.fuzz.gen.";

  private static final StackWalker WALKER = StackWalker.getInstance();

  static volatile Trace current;

  private SuspendPoint() {}

  @Suspendable
  public static boolean z(int site, boolean v) {
    pause(site, String.valueOf(v));
    return v;
  }

  @Suspendable
  public static byte b(int site, byte v) {
    pause(site, String.valueOf(v));
    return v;
  }

  @Suspendable
  public static char c(int site, char v) {
    pause(site, String.valueOf((int) v));
    return v;
  }

  @Suspendable
  public static short s(int site, short v) {
    pause(site, String.valueOf(v));
    return v;
  }

  @Suspendable
  public static int i(int site, int v) {
    pause(site, String.valueOf(v));
    return v;
  }

  @Suspendable
  public static long j(int site, long v) {
    pause(site, String.valueOf(v));
    return v;
  }

  @Suspendable
  public static float f(int site, float v) {
    pause(site, Float.toString(v));
    return v;
  }

  @Suspendable
  public static double d(int site, double v) {
    pause(site, Double.toString(v));
    return v;
  }

  /** For references: arrays, strings and the programs' own objects. */
  @Suspendable
  public static <T> T r(int site, T v) {
    pause(site, describe(v));
    return v;
  }

  /** Suspends, then throws a {@link FuzzException} when {@code fail}: an exception after a resume. */
  @Suspendable
  public static long boom(int site, boolean fail, long v) {
    pause(site, fail + "/" + v);
    if (fail) {
      throw new FuzzException(site, v);
    }
    return v;
  }

  /** A side effect that never suspends. */
  public static void log(int site, long v) {
    current.record(site, String.valueOf(v));
  }

  private static String describe(Object v) {
    if (v instanceof int[]) {
      return Arrays.toString((int[]) v);
    } else if (v instanceof long[]) {
      return Arrays.toString((long[]) v);
    } else if (v instanceof double[]) {
      return Arrays.toString((double[]) v);
    }
    return String.valueOf(v);
  }

  @Suspendable
  private static void pause(int site, String value) {
    Trace t = current;
    t.record(site, value);
    if (!t.suspendsNow()) {
      return;
    }
    String plain = innermostPlainFrame();
    if (plain != null) {
      t.expectRefusal(plain);
    }
    // Below a plain frame the suspension must be refused, so it must really be tried: a hand-off
    // whose partner another worker has already run finds it waiting and never parks.
    if (t.handsOff() && plain == null) {
      handOff(value);
    } else {
      Weft.gosched();
    }
    if (plain != null) {
      t.silentSuspensions.add("site " + site + " suspended below " + plain + " without an error");
    }
  }

  /** Suspends in a receive until another fiber sends {@code value} through an unbuffered channel. */
  @Suspendable
  private static void handOff(String value) {
    Channel<String> ch = Channel.make();
    Weft.go(() -> ch.send(value));
    String got = ch.receive();
    if (!value.equals(got)) {
      throw new AssertionError("the channel handed over " + got + " instead of " + value);
    }
  }

  /**
   * The innermost generated method on the stack that is not annotated (they are all named {@code
   * plain...}), as the error names it: binary class name, dot, method name, open parenthesis.
   */
  private static String innermostPlainFrame() {
    Optional<String> plain =
        WALKER.walk(
            frames ->
                frames
                    .filter(
                        f ->
                            f.getClassName().startsWith(GENERATED_PACKAGE)
                                && f.getMethodName().startsWith("plain"))
                    .map(f -> f.getClassName() + "." + f.getMethodName() + "(")
                    .findFirst());
    return plain.orElse(null);
  }
}
