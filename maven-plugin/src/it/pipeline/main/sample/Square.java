package sample;

import dev.weft.Weft;

/** Not annotated itself: suspendable because Stage.apply is. */
public class Square implements Stage {
  @Override
  public int apply(int value) {
    Weft.gosched(); // a suspension in the middle of the pipeline
    return value * value;
  }
}
