package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.Suspendable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Suspensions inside try/catch/finally regions, and exceptions thrown after a resume: the rewound
 * frame re-enters the middle of a protected region, and its handlers must still cover it.
 */
class ExceptionsShapeTest extends ShapeTest {

  /** A distinct exception type, so a handler cannot catch something else by accident. */
  static final class ShapeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;

    ShapeException(int code) {
      super("shape " + code);
      this.code = code;
    }
  }

  @Suspendable
  private static int throwAfterPause(int code) {
    Pause.here();
    if (code >= 0) {
      throw new ShapeException(code);
    }
    return code;
  }

  @Test
  void suspendInTryThenThrowInTheSameFrame() {
    Fibers.run(
        () -> {
          long l = 5;
          String s = "kept";
          try {
            Pause.here();
            l += Pause.j(1);
            if (l == 6) {
              throw new ShapeException(1);
            }
            fail("not reached");
          } catch (ShapeException e) {
            assertEquals(1, e.code);
            assertEquals(6, l);
            assertEquals("kept", s);
          }
        });
  }

  @Test
  void suspendInCatchWithTheExceptionLive() {
    Fibers.run(
        () -> {
          double d = 2.5;
          ShapeException original = new ShapeException(2);
          try {
            throw original;
          } catch (ShapeException e) {
            Pause.here();
            Pause.sleep();
            assertSame(original, e);
            assertEquals(2.5, d);
            d = Pause.d(e.code);
          }
          assertEquals(2.0, d);
        });
  }

  @Test
  void suspendInFinallyOnTheNormalAndTheExceptionalPath() {
    Fibers.run(
        () -> {
          List<String> log = new ArrayList<>();
          finallyPaths(false, log);
          try {
            finallyPaths(true, log);
            fail("expected a ShapeException");
          } catch (ShapeException e) {
            assertEquals(3, e.code);
          }
          assertEquals(
              List.of("try", "finally-normal", "try", "finally-exceptional"), log);
        });
  }

  @Suspendable
  private static void finallyPaths(boolean fail, List<String> log) {
    int marker = 77;
    try {
      log.add(Pause.ref("try"));
      if (fail) {
        throw new ShapeException(3);
      }
    } finally {
      // javac copies this block into both paths: each copy has its own suspension point.
      Pause.here();
      log.add(fail ? "finally-exceptional" : "finally-normal");
      assertEquals(77, Pause.i(marker));
    }
  }

  @Test
  void finallyRunsAfterAReturnThatWasComputedByASuspendingCall() {
    Fibers.run(
        () -> {
          int[] finallyRan = {0};
          assertEquals(40, returnThroughFinally(finallyRan));
          assertEquals(1, finallyRan[0]);
        });
  }

  @Suspendable
  private static int returnThroughFinally(int[] finallyRan) {
    int x = 4;
    try {
      return Pause.i(x) * 10;
    } finally {
      Pause.here();
      finallyRan[0]++;
      x = 99; // does not change the value already being returned
    }
  }

  @Test
  void nestedTriesWithSuspensionsAtEveryLevel() {
    Fibers.run(
        () -> {
          StringBuilder trail = new StringBuilder();
          try {
            trail.append(Pause.ref("a"));
            try {
              trail.append(Pause.ref("b"));
              try {
                Pause.here();
                throwAfterPause(1);
              } catch (IllegalArgumentException wrongType) {
                fail("wrong handler");
              } finally {
                trail.append(Pause.ref("c"));
              }
            } catch (ShapeException inner) {
              trail.append(Pause.ref("d")).append(inner.code);
              throwAfterPause(2);
            } finally {
              trail.append(Pause.ref("e"));
            }
          } catch (ShapeException outer) {
            trail.append(Pause.ref("f")).append(outer.code);
          }
          assertEquals("abcd1ef2", trail.toString());
        });
  }

  @Test
  void tryWithResourcesWithSuspendingOpenBodyAndClose() {
    Fibers.run(
        () -> {
          List<String> log = new ArrayList<>();
          try (Resource r1 = Resource.open(Pause.ref("one"), log);
              Resource r2 = Resource.open("two", log)) {
            log.add("body " + r1.name + " " + Pause.ref(r2.name));
          }
          assertEquals(
              List.of("open one", "open two", "body one two", "close two", "close one"), log);
        });
  }

  @Test
  void tryWithResourcesWhenTheBodyThrowsAfterResumeAndCloseSuspends() {
    Fibers.run(
        () -> {
          List<String> log = new ArrayList<>();
          try (Resource r = Resource.open("res", log)) {
            Pause.here();
            assertEquals("res", r.name);
            throw new ShapeException(Pause.i(4));
          } catch (ShapeException e) {
            assertEquals(4, e.code);
            assertEquals(0, e.getSuppressed().length);
            log.add("caught");
          }
          assertEquals(List.of("open res", "close res", "caught"), log);
        });
  }

  @Test
  void suppressedExceptionFromASuspendingClose() {
    Fibers.run(
        () -> {
          List<String> log = new ArrayList<>();
          try (Resource r = Resource.open("bad", log)) {
            r.failOnClose = true;
            throwAfterPause(5);
          } catch (ShapeException e) {
            assertEquals(5, e.code);
            assertEquals(1, e.getSuppressed().length);
            assertEquals("close failed", e.getSuppressed()[0].getMessage());
          }
        });
  }

  /** A resource whose open and close both suspend. */
  static final class Resource implements AutoCloseable {
    final String name;
    final List<String> log;
    boolean failOnClose;

    private Resource(String name, List<String> log) {
      this.name = name;
      this.log = log;
    }

    @Suspendable
    static Resource open(String name, List<String> log) {
      Pause.here();
      log.add("open " + name);
      return new Resource(name, log);
    }

    @Override
    @Suspendable
    public void close() {
      Pause.here();
      log.add("close " + name);
      if (failOnClose) {
        throw new IllegalStateException("close failed");
      }
    }
  }

  @Test
  void exceptionFromADeeperFrameAfterResumeIsCaughtInAnOuterFrame() {
    Fibers.run(
        () -> {
          int a = 1;
          long b = 2;
          double c = 3;
          String d = "4";
          try {
            outer(3);
            fail("expected a ShapeException");
          } catch (ShapeException e) {
            assertEquals(3, e.code);
          }
          assertEquals(1, a);
          assertEquals(2, b);
          assertEquals(3.0, c);
          assertEquals("4", d);
          Pause.here(); // the fiber still suspends normally afterwards
        });
  }

  @Suspendable
  private static int outer(int depth) {
    long kept = depth * 1000L;
    Pause.here();
    int r = middle(depth);
    fail("middle returned " + r + " with " + kept);
    return r;
  }

  @Suspendable
  private static int middle(int depth) {
    String label = "middle" + depth;
    int r = Pause.i(depth) + throwAfterPause(depth) + label.length();
    fail("not reached");
    return r;
  }

  @Test
  void catchInTheMiddleFrameThenRethrowAfterAnotherSuspension() {
    Fibers.run(
        () -> {
          ShapeException e = assertSuspendingThrows(() -> rethrowing(6));
          assertEquals(60, e.code);
          assertTrue(e.getCause() instanceof ShapeException);
        });
  }

  @Suspendable
  private static void rethrowing(int code) {
    try {
      throwAfterPause(code);
    } catch (ShapeException e) {
      Pause.here();
      ShapeException wrapped = new ShapeException(Pause.i(e.code * 10));
      wrapped.initCause(e);
      throw wrapped;
    }
  }

  @Test
  void multiCatchAndCheckedExceptions() {
    Fibers.run(
        () -> {
          for (int k = 0; k < 3; k++) {
            try {
              mayThrowChecked(k);
              assertEquals(2, k);
            } catch (IOException | ShapeException e) {
              Pause.here();
              assertEquals(k == 0 ? IOException.class : ShapeException.class, e.getClass());
            }
          }
        });
  }

  @Suspendable
  private static void mayThrowChecked(int k) throws IOException {
    Pause.here();
    if (k == 0) {
      throw new IOException("checked");
    }
    if (k == 1) {
      throw new ShapeException(k);
    }
  }

  @Test
  void checkedExceptionEscapingTheFiberArrivesWrapped() {
    CompletionException e =
        assertThrows(CompletionException.class, () -> Fibers.run(() -> mayThrowChecked(0)));
    assertEquals(IOException.class, e.getCause().getClass());
  }

  @Test
  void uncheckedExceptionEscapingTheFiberAfterResumeArrivesAsIs() {
    ShapeException e =
        assertThrows(ShapeException.class, () -> Fibers.run(() -> outer(8)));
    assertEquals(8, e.code);
  }

  @Test
  void tryCatchInsideALoopWithSuspensionsInEveryPart() {
    Fibers.run(
        () -> {
          int caught = 0;
          int finallies = 0;
          long sum = 0;
          for (int k = 0; k < 6; k++) {
            try {
              sum += Pause.i(k);
              if (k % 2 == 1) {
                throwAfterPause(k);
              }
            } catch (ShapeException e) {
              caught += Pause.i(1);
            } finally {
              finallies++;
              Pause.here();
            }
          }
          assertEquals(3, caught);
          assertEquals(6, finallies);
          assertEquals(15, sum);
        });
  }

  @Test
  void exceptionArraysAndValuesInHandlersSurvive() {
    Fibers.run(
        () -> {
          Throwable[] seen = new Throwable[2];
          for (int k = 0; k < 2; k++) {
            try {
              throwAfterPause(k);
            } catch (RuntimeException e) {
              seen[k] = Pause.ref(e);
            }
          }
          assertArrayEquals(new int[] {0, 1},
              new int[] {((ShapeException) seen[0]).code, ((ShapeException) seen[1]).code});
        });
  }

  /** A body that throws, for {@link #assertSuspendingThrows}. */
  @FunctionalInterface
  interface SuspendingBody {
    @Suspendable
    void run();
  }

  /** assertThrows for a body that suspends: JUnit's own would be an uninstrumented frame. */
  @Suspendable
  private static ShapeException assertSuspendingThrows(SuspendingBody body) {
    try {
      body.run();
    } catch (ShapeException e) {
      return e;
    }
    throw new AssertionError("expected a ShapeException");
  }
}
