package dev.weft.conformance.compilers;

import dev.weft.Suspendable;
import dev.weft.Weft;

/**
 * Yields the fiber at every call, so each call site in the code above it is unwound and resumed;
 * counts the calls made inside a fiber. On a plain thread it only returns the value.
 */
final class YieldingPause implements Pause {
  int inFiber;

  @Override
  @Suspendable
  public int pause(int value) {
    if (Weft.inFiber()) {
      inFiber++;
      Weft.gosched();
    }
    return value;
  }
}
