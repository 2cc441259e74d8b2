package dev.weft.shapes;

import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.Weft;

/**
 * What the generated big methods of {@link BigMethodShapeTest} call between their suspensions:
 * plain checks of every value, a dump taken while the method is parked, and a plain frame that
 * suspends (the mistake the uninstrumented-frame error reports).
 */
public final class BigMethodCheck {
  private BigMethodCheck() {}

  /** The values that never change, as the generated method declares them. */
  public static void constants(
      int block, boolean z, byte b, char c, short s, float f, String r, int[] arr, Object nul) {
    if (!z
        || b != -7
        || c != '\u20ac'
        || s != -30000
        || Float.floatToRawIntBits(f) != 0x7fc0_1234
        || !"ref".equals(r)
        || arr.length != 3
        || arr[2] != 3
        || nul != null) {
      throw new AssertionError(
          "block " + block + ": " + z + " " + b + " " + (int) c + " " + s + " " + f + " " + r + " "
              + arr.length + " " + nul);
    }
  }

  /** The accumulators against the values the generator computed. */
  public static void accumulators(int block, int i, long j, double d, int iExp, long jExp, double dExp) {
    if (i != iExp || j != jExp || Double.doubleToRawLongBits(d) != Double.doubleToRawLongBits(dExp)) {
      throw new AssertionError(
          "block " + block + ": i=" + i + "/" + iExp + " j=" + j + "/" + jExp + " d=" + d + "/" + dExp);
    }
  }

  /** Parks the caller in a receive while another fiber takes a fiber dump, and returns the dump. */
  @Suspendable
  public static String dumpWhileParked() {
    Channel<String> ch = Channel.make();
    Weft.go(() -> ch.send(Weft.dumpFibers()));
    return ch.receive();
  }

  /** Not suspendable, yet suspends: a fiber must fail here with the error naming this method. */
  public static void plainFrame() {
    Pause.here();
  }
}
