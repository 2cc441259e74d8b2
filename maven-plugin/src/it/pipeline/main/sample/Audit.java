package sample;

import dev.weft.Channel;
import dev.weft.Weft;

/** Code that cannot carry the annotation: the build's suspendables parameter names it. */
public final class Audit {
  private Audit() {}

  public static void record(Channel<String> log, String line) {
    Weft.gosched(); // suspends every time, so that a missing rewrite never goes unnoticed
    log.send(line);
  }
}
