package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Channel;
import dev.weft.ChannelClosedException;
import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.shapes.ExceptionsShapeTest.ShapeException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Locals read only by a catch or finally block that covers a suspendable call: the call can throw
 * after a resume, so they are live across it through the exceptional edge and must be saved, of
 * every kind (int, long, double, reference; parameters or not) and through nested try regions.
 *
 * <p>Each shape that reads a local which is not a parameter lives in a class of its own: a class
 * whose rewrite fails runs unrewritten, and must not take the other shapes down with it.
 */
@Timeout(60)
class HandlerLocalsShapeTest extends ShapeTest {

  /** The shape of the report: the handler reads only a parameter. */
  @Suspendable
  static String worker(int id, Channel<String> out) {
    try {
      out.send("job");
    } catch (ChannelClosedException e) {
      return "worker " + id;
    }
    return "sent";
  }

  @Test
  void aParameterReadOnlyByTheHandlerOfAChannelCloseSurvives() {
    String got =
        Fibers.call(
            () -> {
              Channel<String> out = Channel.make();
              Channel<String> result = Channel.make(1);
              Weft.go(() -> result.send(worker(7, out)));
              Pause.here(); // the worker is parked in send by now
              out.close();
              return result.receive();
            });
    assertEquals("worker 7", got);
  }

  @Suspendable
  static String everyKindOfParameter(int i, long j, double d, String s, boolean fail) {
    try {
      throwIf(fail ? 2 : 0);
    } catch (ShapeException e) {
      return i + " " + j + " " + d + " " + s;
    }
    return "no throw";
  }

  @Test
  void parametersOfEveryKindReadOnlyByTheHandlerSurvive() {
    assertEquals(
        "3 4000000000 2.5 text",
        Fibers.call(() -> everyKindOfParameter(3, 4_000_000_000L, 2.5, "text", true)));
  }

  /** Locals that are not parameters, read only by the handler. */
  static final class Locals {
    @Suspendable
    static String run(boolean fail) {
      int i = 3;
      long j = 4_000_000_000L;
      double d = 2.5;
      String s = "text";
      int[] a = {9};
      try {
        throwIf(fail ? 2 : 0);
      } catch (ShapeException e) {
        return i + " " + j + " " + d + " " + s + " " + a[0];
      }
      return "no throw";
    }
  }

  @Test
  void localsOfEveryKindReadOnlyByTheHandlerSurvive() {
    assertEquals("3 4000000000 2.5 text 9", Fibers.call(() -> Locals.run(true)));
  }

  /** The handler of an outer try reads what the inner one does not. */
  static final class Nested {
    @Suspendable
    static String run(int code) {
      long outerOnly = 77L;
      String innerOnly = "inner";
      try {
        try {
          Pause.here();
          throwIf(code);
        } catch (IllegalStateException e) {
          return innerOnly;
        }
      } catch (ShapeException e) {
        return "outer " + outerOnly + " " + e.code;
      }
      return "none";
    }
  }

  @Suspendable
  static void throwIf(int code) {
    Pause.here();
    if (code == 1) {
      throw new IllegalStateException();
    }
    if (code == 2) {
      throw new ShapeException(code);
    }
  }

  @Test
  void nestedTryRegionsKeepWhatEachHandlerReads() {
    assertEquals("inner", Fibers.call(() -> Nested.run(1)));
    assertEquals("outer 77 2", Fibers.call(() -> Nested.run(2)));
    assertEquals("none", Fibers.call(() -> Nested.run(0)));
  }

  /** A finally block reads a local that the normal path overwrites before reading. */
  static final class Finally {
    @Suspendable
    static void run(int code, List<String> log) {
      double seen = 1.5;
      try {
        throwIf(code);
        seen = 0;
      } finally {
        log.add("finally " + seen);
      }
    }
  }

  @Test
  void aLocalReadOnlyByAFinallyOnTheExceptionalPathSurvives() {
    List<String> log =
        Fibers.call(
            () -> {
              List<String> l = new ArrayList<>();
              try {
                Finally.run(2, l);
              } catch (ShapeException expected) {
                l.add("caught");
              }
              Finally.run(0, l);
              return l;
            });
    assertEquals(List.of("finally 1.5", "caught", "finally 0.0"), log);
  }
}
