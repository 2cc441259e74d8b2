package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.Weft;

/**
 * Suspension points for the shape tests. Every method here really suspends the calling fiber and
 * proves it did, with a {@link Witness}: an assertion fails when the fiber did not unwind or when a
 * frame of the shape tests on its stack was not saved.
 *
 * <p>The typed identity methods ({@link #i(int)}, {@link #j(long)}, ...) suspend and then return
 * their argument, so a test can place a suspension anywhere an expression of that type goes, with
 * values of every type on the operand stack under it, and can check that arguments and return
 * values of every type survive too.
 *
 * <pre>{@code
 * long total = base + Pause.j(41L);   // base is on the operand stack while the fiber is suspended
 * }</pre>
 */
public final class Pause {
  private Pause() {}

  /** Suspends by yielding the worker ({@link Weft#gosched()}). */
  @Suspendable
  public static void here() {
    Witness w = Witness.arm();
    do {
      Weft.gosched();
    } while (w.shouldRetry());
    w.verify();
  }

  /** Suspends by sleeping one millisecond. */
  @Suspendable
  public static void sleep() {
    Witness w = Witness.arm();
    do {
      Weft.sleep(1);
    } while (w.shouldRetry());
    w.verify();
  }

  /**
   * Suspends in a receive on an unbuffered channel, and returns the value another fiber sent: the
   * value itself travels through the channel.
   */
  @Suspendable
  public static <T> T receive(T value) {
    Witness w = Witness.arm();
    Channel<T> ch = Channel.make();
    Weft.go(
        () -> {
          w.observeUnwound();
          ch.send(value);
        });
    T got = ch.receive();
    w.verify();
    return got;
  }

  /** Suspends in a send on an unbuffered channel until another fiber receives it. */
  @Suspendable
  public static void send() {
    Witness w = Witness.arm();
    Channel<String> ch = Channel.make();
    Channel<String> echo = Channel.make(1);
    Weft.go(
        () -> {
          w.observeUnwound();
          echo.send(ch.receive());
        });
    ch.send("sent");
    w.verify();
    assertEquals("sent", echo.receive());
  }

  /**
   * Suspends with a check of the saved depth only (at least {@code minimumFrames} frames): for
   * stacks so deep that comparing every call site would dominate the test.
   */
  @Suspendable
  public static void deep(int minimumFrames) {
    Witness w = Witness.armDepth(minimumFrames);
    do {
      Weft.gosched();
    } while (w.shouldRetry());
    w.verify();
  }

  /** Suspends, then returns {@code v}. */
  @Suspendable
  public static boolean z(boolean v) {
    here();
    return v;
  }

  /** Suspends, then returns {@code v}. */
  @Suspendable
  public static byte b(byte v) {
    here();
    return v;
  }

  /** Suspends, then returns {@code v}. */
  @Suspendable
  public static char c(char v) {
    here();
    return v;
  }

  /** Suspends, then returns {@code v}. */
  @Suspendable
  public static short s(short v) {
    here();
    return v;
  }

  /** Suspends, then returns {@code v}. */
  @Suspendable
  public static int i(int v) {
    here();
    return v;
  }

  /** Suspends, then returns {@code v}. */
  @Suspendable
  public static float f(float v) {
    here();
    return v;
  }

  /** Suspends, then returns {@code v}. */
  @Suspendable
  public static long j(long v) {
    here();
    return v;
  }

  /** Suspends, then returns {@code v}. */
  @Suspendable
  public static double d(double v) {
    here();
    return v;
  }

  /** Suspends, then returns {@code v} (which may be null). */
  @Suspendable
  public static <T> T ref(T v) {
    here();
    return v;
  }
}
