package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ChildJvm;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the monitor costs a program that starts: its look at a long slice must not start Java's
 * management framework (tens of classes, about 25 ms of the start-up's wall time and twice that
 * in CPU), which it once did to sample the worker's top frame whenever it first saw a slice late.
 * The program runs in a JVM of its own, the only way to see which classes it loaded.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MonitorStartUpTest {

  @Test
  void aLateLookAtALongSliceLoadsNoManagementBean() throws Exception {
    ChildJvm.Result r =
        ChildJvm.run(List.of("-Xlog:class+load=info:stdout"), LateLookProgram.class);
    String text = r.output();
    assertEquals(0, r.status(), text);
    assertTrue(text.contains("\nanswered"), "the late look did not happen as set up:\n" + tail(text));
    assertFalse(
        text.contains(" java.lang.management.ManagementFactory "),
        "the monitor's look started the management framework");
  }

  private static String tail(String text) {
    return text.substring(Math.max(0, text.length() - 2000));
  }
}
