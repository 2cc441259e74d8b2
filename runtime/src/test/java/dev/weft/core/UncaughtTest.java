package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Channel;
import dev.weft.ChildJvm;
import dev.weft.Weft;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SPEC section 3: what an exception escaping a {@code go} fiber does, and {@code weft.uncaught}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UncaughtTest {
  private static final long MS = 1_000_000L;

  private static Throwable failureAt(String message, int line) {
    Throwable t = new IllegalStateException(message);
    t.setStackTrace(new StackTraceElement[] {new StackTraceElement("app.Job", "run", "Job.java", line)});
    return t;
  }

  @Test
  void identicalFailuresArePrintedOnceThenCountedWhenTheyStop() {
    FailureCounts counts = new FailureCounts();
    long t = Long.MAX_VALUE - 50 * MS; // the clock wraps half-way: times compare by difference
    assertTrue(counts.record(failureAt("boom", 7), t));
    for (int i = 1; i <= 606; i++) {
      assertFalse(counts.record(failureAt("boom", 7), t + i * 10_000L));
    }
    long last = t + 606 * 10_000L;
    assertEquals(List.of(), counts.due(last + 99 * MS), "still within the quiet window");
    assertEquals(
        List.of(
            "(the same failure in 606 more fibers: java.lang.IllegalStateException: boom at"
                + " app.Job.run(Job.java:7))"),
        counts.due(last + 100 * MS));
    assertTrue(counts.isEmpty(), "a printed kind is forgotten");
    assertTrue(counts.record(failureAt("boom", 7), last + 200 * MS), "printed in full again later");
  }

  @Test
  void failuresDifferingInClassMessageOrFrameAreDifferentKinds() {
    FailureCounts counts = new FailureCounts();
    assertTrue(counts.record(failureAt("boom", 7), 0));
    assertTrue(counts.record(failureAt("boom", 8), 0), "another throwing line");
    assertTrue(counts.record(failureAt("bang", 7), 0), "another message");
    Throwable other = new IllegalArgumentException("boom");
    other.setStackTrace(failureAt("boom", 7).getStackTrace());
    assertTrue(counts.record(other, 0), "another class");
    assertFalse(counts.record(failureAt("bang", 7), 1));
    assertEquals(1, counts.all().size(), "at exit, only kinds that repeated print a count");
    assertTrue(counts.isEmpty());
  }

  @Test
  void aQuietKindFallsDueAfterTheWindowAndNotBefore() {
    FailureCounts counts = new FailureCounts();
    assertEquals(-1, counts.nanosUntilDue(0), "nothing pending");
    counts.record(failureAt("boom", 7), 0);
    counts.record(failureAt("boom", 7), 30 * MS);
    assertEquals(100 * MS, counts.nanosUntilDue(30 * MS));
    assertEquals(0, counts.nanosUntilDue(200 * MS));
  }

  @Test
  void thePolicyIsPrintOrExitAndAnythingElseNamesTheProperty() {
    assertEquals(Uncaught.Policy.PRINT, Uncaught.Policy.parse(null));
    assertEquals(Uncaught.Policy.PRINT, Uncaught.Policy.parse("print"));
    assertEquals(Uncaught.Policy.EXIT, Uncaught.Policy.parse("exit"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Uncaught.Policy.parse("panic"));
    assertTrue(e.getMessage().contains("-Dweft.uncaught=panic"), e.getMessage());
    assertTrue(e.getMessage().contains("print") && e.getMessage().contains("exit"), e.getMessage());
  }

  @Test
  void manyFibersFailingAlikePrintOneTraceAndACountWithoutInterleaving() throws Exception {
    Thread.UncaughtExceptionHandler old = Thread.getDefaultUncaughtExceptionHandler();
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    Thread.setDefaultUncaughtExceptionHandler(null);
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      int fibers = 200;
      CountDownLatch started = new CountDownLatch(fibers);
      for (int i = 0; i < fibers; i++) {
        Weft.go(
            () -> {
              started.countDown();
              throw new IllegalStateException("the same failure, many times");
            });
      }
      started.await();
      String expected = "(the same failure in " + (fibers - 1) + " more fibers: ";
      while (!text(captured).contains(expected)) {
        Thread.onSpinWait();
        Thread.yield();
      }
    } finally {
      System.setErr(err);
      Thread.setDefaultUncaughtExceptionHandler(old);
    }
    String text = text(captured);
    Matcher headers = Pattern.compile("Exception in fiber \"[^\"]+\" ").matcher(text);
    int printed = 0;
    while (headers.find()) {
      printed++;
    }
    assertEquals(1, printed, text);
    String[] lines = text.split("\\R");
    assertTrue(lines[0].startsWith("Exception in fiber \"")
        && lines[0].endsWith("java.lang.IllegalStateException: the same failure, many times"), text);
    assertTrue(lines[1].trim().startsWith("at "), "the trace follows its header at once: " + text);
  }

  @Test
  void aParkedFibersDumpDoesNotClaimAPreemptionRequest() throws Exception {
    Channel<String> never = Channel.make();
    CountDownLatch parkedSoon = new CountDownLatch(1);
    Weft.go(
        () -> {
          Fiber.current().requestPreempt(); // a request that came too late: the fiber parks next
          parkedSoon.countDown();
          never.receive();
        });
    parkedSoon.await();
    // This fiber's own line: fibers that other tests left parked also say "parked on".
    String parked = "parked on receive from " + never;
    String dump = "";
    while (!dump.contains(parked)) {
      Thread.yield();
      dump = FiberDump.dump();
    }
    String line = dump.lines().filter(l -> l.contains(parked)).findFirst().orElseThrow();
    assertFalse(line.contains("preemption requested"), dump);
    never.close();
  }

  @Test
  void withExitAFailureEndsTheProgramWithStatusTwo() throws Exception {
    ChildJvm.Result r = ChildJvm.run(List.of("-Dweft.uncaught=exit"), UncaughtExitProgram.class);
    String out = r.output();
    assertEquals(2, r.status(), out);
    assertTrue(out.contains("java.lang.IllegalStateException: a panic in a fiber"), out);
    assertFalse(out.contains("main went on"), out);
  }

  private static String text(ByteArrayOutputStream captured) {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }
}
