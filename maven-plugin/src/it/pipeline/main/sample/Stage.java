package sample;

import dev.weft.Suspendable;

/** One step of a pipeline; its implementations inherit the annotation. */
public interface Stage {
  @Suspendable
  int apply(int value);
}
