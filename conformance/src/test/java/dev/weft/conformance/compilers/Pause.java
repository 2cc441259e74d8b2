package dev.weft.conformance.compilers;

import dev.weft.Suspendable;

/** What code from other compilers calls to suspend: a plain Java interface it can see. */
public interface Pause {
  /** Suspends the calling fiber once, then returns {@code value}. */
  @Suspendable
  int pause(int value);
}
