package dev.weft.shapes;

/**
 * Static methods that suspend without carrying {@code @Suspendable}: they are named in {@code
 * META-INF/weft/suspendables} instead, as code a user cannot annotate would be. {@code work} is
 * listed for every overload, {@code exact} only as {@code exact(I)I}.
 */
final class ListedWork {
  private ListedWork() {}

  static int work(int x) {
    Pause.here();
    return x + 1;
  }

  static long work(long x) {
    Pause.sleep();
    return x * 2;
  }

  static int exact(int x) {
    Pause.here();
    return -x;
  }

  /** Not listed: suspending through it must fail. */
  static long exact(long x) {
    Pause.here();
    return -x;
  }
}
