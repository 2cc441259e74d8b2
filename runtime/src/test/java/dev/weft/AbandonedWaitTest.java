package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;

/**
 * A throwable other than the uninstrumented-frame error that escapes a wait (here the fiber stack
 * limit, hit while the fiber unwinds from its park) must take the wait's nodes out of their
 * queues: otherwise a later sender "delivers" its value to a party that no longer exists. Each
 * case runs {@link AbandonedWaitProgram} in a JVM of its own, since the limit is read once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AbandonedWaitTest {

  @ParameterizedTest
  @CsvSource({
    "receive, delivered=false",
    "select, delivered=false",
    "send, received=null",
    "mutex, handedOn=true",
    "waitgroup, waiting=0"
  })
  void aWaitThatAThrowableEndedLeavesItsQueue(String kind, String expected) throws Exception {
    ChildJvm.Result r =
        ChildJvm.run(List.of("-Dweft.stack.limit=2048"), AbandonedWaitProgram.class, kind);
    String text = r.output();
    assertTrue(text.contains("FiberStackOverflowError"), "the wait did not fail as set up:\n" + text);
    assertEquals(0, r.status(), text);
    assertTrue(text.contains(expected), "expected " + expected + " in:\n" + text);
  }
}
