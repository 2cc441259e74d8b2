package sample;

import dev.weft.Channel;

/** Code that cannot carry the annotation: the build's suspendables parameter names it. */
public final class Audit {
  private Audit() {}

  public static void record(Channel<String> log, String line) {
    log.send(line);
  }
}
