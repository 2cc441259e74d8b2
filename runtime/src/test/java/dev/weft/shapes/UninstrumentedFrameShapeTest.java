package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.frame.UninstrumentedFrameError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A suspension through a frame the agent did not rewrite must fail at once with {@link
 * UninstrumentedFrameError}, naming the method to annotate, before anything is committed: no
 * fiber is corrupted, no channel is left with a ghost waiter, and both the fiber (when it catches
 * the error) and the scheduler keep working.
 */
@Timeout(60)
class UninstrumentedFrameShapeTest extends ShapeTest {

  /** Suspends, but was not annotated: the mistake these tests make on purpose. */
  private static int notAnnotated(int x) {
    Pause.here();
    return x;
  }

  @Suspendable
  private static int callsNotAnnotated(int x) {
    return notAnnotated(x) + 1;
  }

  private static final Object MONITOR = new Object();

  @Suspendable
  private static int identity(int x) {
    return x;
  }

  /**
   * Holding a monitor, calls a suspendable method whose implementation the agent did not rewrite
   * and which calls on into rewritten code that yields: the arm made under the monitor reaches
   * the lambda through the plain frame, which must be refused as it is without the monitor.
   */
  @Suspendable
  private static int callsThroughAPlainImplementationInsideSynchronized(int x) throws Exception {
    dev.weft.SuspendableCallable<Integer> plain =
        new dev.weft.frame.NeverRewritten<>(
            () -> {
              Weft.gosched();
              return x;
            });
    synchronized (MONITOR) {
      return identity(plain.call());
    }
  }

  /** Suspends through java.util.function.Consumer, which no agent can instrument. */
  @Suspendable
  private void consume(Integer x) {
    Pause.here();
  }

  /** An interface whose method is not suspendable, with an implementation that is. */
  interface PlainApi {
    void act();
  }

  static final class AnnotatedImpl implements PlainApi {
    @Override
    @Suspendable
    public void act() {
      Pause.here();
    }
  }

  @Suspendable
  private static void callThroughPlainApi(PlainApi api) {
    api.act();
  }

  /** Takes a JDK function, as a new user's first try does: Function.apply is not suspendable. */
  @Suspendable
  private static Integer get(Function<String, Integer> f, String k) {
    return f.apply(k);
  }

  /** Takes a JDK consumer and calls it from a suspendable method. */
  @Suspendable
  private static void each(Consumer<Integer> c) {
    c.accept(1);
  }

  private static Integer slowPlain(String k) {
    Weft.sleep(1);
    return k.length();
  }

  @Suspendable
  private static Integer slowAnnotated(String k) {
    Weft.sleep(1);
    return k.length();
  }

  /** A generic interface whose method is not suspendable: its implementation has a bridge. */
  interface PlainGeneric<T> {
    void take(T t);
  }

  static final class StringTaker implements PlainGeneric<String> {
    @Override
    @Suspendable
    public void take(String s) {
      Pause.here();
    }
  }

  @Suspendable
  private static void callThroughBridge(PlainGeneric<String> g) {
    g.take("x");
  }

  @Suspendable
  public static void reflected() {
    Pause.here();
  }

  @Suspendable
  private static void callReflectively() throws ReflectiveOperationException {
    try {
      UninstrumentedFrameShapeTest.class.getMethod("reflected").invoke(null);
    } catch (java.lang.reflect.InvocationTargetException e) {
      if (e.getCause() instanceof Error) {
        throw (Error) e.getCause();
      }
      throw e;
    }
  }

  @Suspendable
  private static void callThroughAMethodHandle() throws ReflectiveOperationException {
    java.lang.invoke.MethodHandle h =
        java.lang.invoke.MethodHandles.lookup()
            .findStatic(
                UninstrumentedFrameShapeTest.class,
                "reflected",
                java.lang.invoke.MethodType.methodType(void.class));
    try {
      h.invokeExact();
    } catch (Error | RuntimeException | ReflectiveOperationException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  @Suspendable
  private static int callListedApi(ListedApi api) {
    return api.act(1);
  }

  /** Not annotated, above a call through an interface method listed in META-INF/weft/suspendables. */
  private static int plainAboveListedApi() {
    return callListedApi(x -> Pause.i(x) + 1);
  }

  /** Suspendable through an annotation that an {@code @} line of the list reaches. */
  interface MarkedApi {
    @AnnotationLinesShapeTest.Composed
    int act(int x);
  }

  @Suspendable
  private static int callMarkedApi(MarkedApi api) {
    return api.act(1);
  }

  private static int plainAboveMarkedApi() {
    return callMarkedApi(x -> Pause.i(x) + 1);
  }

  private static UninstrumentedFrameError failsWith(dev.weft.SuspendableRunnable body) {
    return assertThrows(UninstrumentedFrameError.class, () -> Fibers.run(body));
  }

  /**
   * Asserts the message names {@code method}. Given with its descriptor, as the error names the
   * culprit, it cannot be matched by the stack listing that follows, which has no descriptors.
   */
  private static void assertMessageNames(UninstrumentedFrameError e, String method) {
    assertTrue(
        e.getMessage().contains(method),
        () -> "the message should name " + method + ": " + e.getMessage());
  }

  /** Asserts the message names the body of a lambda written in {@code method} of this class. */
  private static void assertMessageNamesLambda(
      UninstrumentedFrameError e, String method, String descriptor) {
    Pattern culprit =
        Pattern.compile(
            Pattern.quote(UninstrumentedFrameShapeTest.class.getName() + ".lambda$" + method + "$")
                + "\\d+"
                + Pattern.quote(descriptor));
    assertTrue(
        culprit.matcher(e.getMessage()).find(),
        () -> "the message should name the lambda body " + culprit + ": " + e.getMessage());
  }

  /** After any failure, the scheduler still runs fibers that suspend. */
  private static void assertSchedulerStillWorks() {
    assertEquals(
        "ok",
        Fibers.call(
            () -> {
              Pause.here();
              Pause.sleep();
              return Pause.receive("ok");
            }));
  }

  @Test
  void aNamedMethodMissingItsAnnotation() {
    UninstrumentedFrameError e = failsWith(() -> callsNotAnnotated(1));
    assertMessageNames(e, "UninstrumentedFrameShapeTest.notAnnotated(I)I");
    assertBlames(e, "notAnnotated", "callsNotAnnotated");
    assertTrue(e.getMessage().contains("@dev.weft.Suspendable"), e.getMessage());
    assertSchedulerStillWorks();
  }

  /**
   * A plain frame below a call made under a monitor is refused as it is without the monitor: the
   * error, not a pin. Before, a pinned arm carried no {@code armedFor}, and a callee checked it
   * only when not pinned, so the fiber pinned through the plain frame.
   */
  @Test
  void aPlainFrameBelowACallMadeInsideSynchronized() {
    UninstrumentedFrameError e =
        failsWith(
            () -> {
              try {
                callsThroughAPlainImplementationInsideSynchronized(1);
              } catch (Exception unexpected) {
                throw new AssertionError(unexpected);
              }
            });
    // The plain frame sits in a package the error leaves out of its listing (the runtime's own),
    // so the error cannot name it; what matters is that it is raised, as without the monitor.
    assertTrue(
        e.getMessage().contains("lambda$callsThroughAPlainImplementationInsideSynchronized"),
        e.getMessage());
    assertSchedulerStillWorks();
  }

  /** Asserts the message's first line blames {@code declaration}, called at {@code caller}. */
  private static void assertBlames(UninstrumentedFrameError e, String declaration, String caller) {
    String first = e.getMessage().lines().findFirst().orElse("");
    assertTrue(
        first.contains(declaration),
        () -> "the first line should name " + declaration + ": " + e.getMessage());
    Pattern site =
        Pattern.compile(
            Pattern.quote(UninstrumentedFrameShapeTest.class.getName() + "." + caller + "(")
                + "UninstrumentedFrameShapeTest\\.java:\\d+\\)");
    assertTrue(
        site.matcher(first).find(),
        () -> "the first line should name the call site " + site + ": " + e.getMessage());
    assertMarksAFrame(e);
  }

  /** The listing of the path never leaves the reader looking for a mark that is not there. */
  private static void assertMarksAFrame(UninstrumentedFrameError e) {
    assertTrue(
        e.getMessage().lines().anyMatch(l -> l.trim().startsWith("!!")),
        () -> "the path should mark the frame that refuses the suspension: " + e.getMessage());
  }

  /** Annotating a method reached through a JDK interface cannot help: never advise it. */
  private static void assertDoesNotAdviseAnnotating(UninstrumentedFrameError e, String method) {
    String first = e.getMessage().lines().findFirst().orElse("");
    assertFalse(
        first.startsWith(UninstrumentedFrameShapeTest.class.getName() + "." + method + "(")
            || e.getMessage().contains("annotate it"),
        () -> "the message should not advise annotating " + method + ": " + e.getMessage());
  }

  /**
   * A method reference passed as a {@link Function}: annotating the target cannot help, the call
   * goes through {@code Function.apply}, so that is what the error names, with its call site and
   * both ways out.
   */
  @Test
  void aPlainMethodReferencePassedAsAJdkFunction() {
    UninstrumentedFrameError e =
        failsWith(() -> get(UninstrumentedFrameShapeTest::slowPlain, "abc"));
    assertBlames(e, "java.util.function.Function.apply", "get");
    assertDoesNotAdviseAnnotating(e, "slowPlain");
    assertWaysOutOfFunction(e);
    assertSchedulerStillWorks();
  }

  @Test
  void aSuspendableMethodReferencePassedAsAJdkFunction() {
    UninstrumentedFrameError e =
        failsWith(() -> get(UninstrumentedFrameShapeTest::slowAnnotated, "abc"));
    assertBlames(e, "java.util.function.Function.apply", "get");
    assertWaysOutOfFunction(e);
    assertSchedulerStillWorks();
  }

  private static void assertWaysOutOfFunction(UninstrumentedFrameError e) {
    assertTrue(e.getMessage().contains("dev.weft.SuspendableFunction"), e.getMessage());
    assertTrue(e.getMessage().contains("java.util.function.Function#apply"), e.getMessage());
    assertTrue(e.getMessage().contains("META-INF/weft/suspendables"), e.getMessage());
  }

  @Test
  void aPlainLambdaPassedAsAJdkConsumer() {
    UninstrumentedFrameError e = failsWith(() -> each(x -> Pause.here()));
    assertBlames(e, "java.util.function.Consumer.accept", "each");
    assertTrue(e.getMessage().contains("dev.weft.SuspendableConsumer"), e.getMessage());
    assertTrue(e.getMessage().contains("java.util.function.Consumer#accept"), e.getMessage());
    assertSchedulerStillWorks();
  }

  @Test
  void aBridgeOfAGenericInterfaceMethodThatIsNotSuspendable() {
    UninstrumentedFrameError e = failsWith(() -> callThroughBridge(new StringTaker()));
    assertBlames(e, PlainGeneric.class.getName() + ".take", "callThroughBridge");
    assertTrue(e.getMessage().contains("@dev.weft.Suspendable"), e.getMessage());
    assertSchedulerStillWorks();
  }

  @Test
  void aCallThroughReflection() {
    UninstrumentedFrameError e = failsWith(() -> callReflectively());
    assertBlames(e, "java.lang.reflect.Method.invoke", "callReflectively");
    assertSchedulerStillWorks();
  }

  @Test
  void aCallThroughAMethodHandle() {
    UninstrumentedFrameError e = failsWith(() -> callThroughAMethodHandle());
    assertBlames(e, "java.lang.invoke.MethodHandle", "callThroughAMethodHandle");
    assertSchedulerStillWorks();
  }

  /**
   * A call through an interface method made suspendable by a list, not by an annotation, is no
   * break: the error blames the plain method above it.
   */
  @Test
  void aListedInterfaceMethodIsNotBlamed() {
    UninstrumentedFrameError e = failsWith(() -> plainAboveListedApi());
    assertTrue(
        e.getMessage()
            .startsWith(UninstrumentedFrameShapeTest.class.getName() + ".plainAboveListedApi()I"),
        e.getMessage());
    assertMarksAFrame(e);
    assertSchedulerStillWorks();
  }

  @Test
  void aMethodMarkedByAListedAnnotationIsNotBlamed() {
    UninstrumentedFrameError e = failsWith(() -> plainAboveMarkedApi());
    assertTrue(
        e.getMessage()
            .startsWith(UninstrumentedFrameShapeTest.class.getName() + ".plainAboveMarkedApi()I"),
        e.getMessage());
    assertSchedulerStillWorks();
  }

  @Test
  void aPlainRunnableLambdaBody() {
    UninstrumentedFrameError e =
        failsWith(
            () -> {
              Runnable plain = () -> Pause.here();
              plain.run();
            });
    assertMessageNamesLambda(e, "aPlainRunnableLambdaBody", "()V");
    assertSchedulerStillWorks();
  }

  @Test
  void aConsumerLambdaPassedToListForEach() {
    UninstrumentedFrameError e =
        failsWith(() -> new ArrayList<>(List.of(1, 2)).forEach(x -> Pause.here()));
    assertMessageNamesLambda(e, "aConsumerLambdaPassedToListForEach", "(Ljava/lang/Integer;)V");
    assertSchedulerStillWorks();
  }

  @Test
  void aSuspendableMethodReferencePassedToListForEachNamesTheLibraryMethod() {
    UninstrumentedFrameError e =
        failsWith(() -> new ArrayList<>(List.of(1, 2)).forEach(this::consume));
    assertMessageNames(e, "java.util.ArrayList.forEach(Ljava/util/function/Consumer;)V");
    assertSchedulerStillWorks();
  }

  @Test
  void aCallThroughAnInterfaceMethodThatIsNotSuspendable() {
    UninstrumentedFrameError e = failsWith(() -> callThroughPlainApi(new AnnotatedImpl()));
    assertBlames(e, PlainApi.class.getName() + ".act", "callThroughPlainApi");
    assertTrue(e.getMessage().contains("@dev.weft.Suspendable"), e.getMessage());
    assertSchedulerStillWorks();
  }

  /**
   * A misconfigured rewrite is not an application failure: the handlers an application writes
   * for its own failures ({@code catch (RuntimeException e)}, {@code catch (Exception e)}) must not
   * catch it, or a cache stores it and hands it to every later caller.
   */
  @Test
  void applicationHandlersForExceptionsDoNotCatchTheError() {
    List<String> swallowed = new ArrayList<>();
    UninstrumentedFrameError e =
        failsWith(
            () -> {
              try {
                callsNotAnnotated(1);
              } catch (RuntimeException caught) {
                swallowed.add("RuntimeException: " + caught);
              }
              try {
                callsNotAnnotated(2);
              } catch (Exception caught) {
                swallowed.add("Exception: " + caught);
              }
            });
    assertMessageNames(e, "notAnnotated");
    assertEquals(List.of(), swallowed);
    assertTrue(Error.class.isAssignableFrom(UninstrumentedFrameError.class));
    assertSchedulerStillWorks();
  }

  @Test
  void theFiberThatCatchesTheErrorKeepsWorking() {
    Fibers.run(
        () -> {
          long kept = Long.MIN_VALUE;
          String text = "kept";
          for (int round = 0; round < 3; round++) {
            try {
              callsNotAnnotated(round);
              fail("expected an UninstrumentedFrameError");
            } catch (UninstrumentedFrameError e) {
              assertMessageNames(e, "notAnnotated");
            }
            // The same fiber, right after the error, suspends and resumes as before.
            Pause.here();
            assertEquals(round, Pause.i(round));
            assertEquals(Long.MIN_VALUE, kept);
            assertEquals("kept", text);
          }
        });
  }

  @Test
  void aFailedReceiveLeavesNoWaiterBehind() {
    Fibers.run(
        () -> {
          Channel<Integer> ch = Channel.make();
          Runnable plain = () -> ch.receive();
          try {
            plain.run();
            fail("expected an UninstrumentedFrameError");
          } catch (UninstrumentedFrameError e) {
            assertMessageNames(e, "lambda$");
          }
          // A receiver left queued would make this hand-off succeed.
          assertFalse(ch.trySend(1), "the failed receive left a waiting receiver behind");
          Weft.go(() -> ch.send(5));
          assertEquals(5, ch.receive());
        });
  }

  @Test
  void aFailedSendLeavesNoValueBehind() {
    Fibers.run(
        () -> {
          Channel<Integer> full = Channel.make(1);
          full.send(1);
          Runnable plain = () -> full.send(2);
          try {
            plain.run();
            fail("expected an UninstrumentedFrameError");
          } catch (UninstrumentedFrameError e) {
            assertMessageNames(e, "lambda$");
          }
          assertEquals(1, full.len());
          assertEquals(Integer.valueOf(1), full.receive());
          assertNull(full.tryReceive(), "the failed send left its value behind");
          Channel<Integer> unbuffered = Channel.make();
          Runnable plainSend = () -> unbuffered.send(3);
          assertThrows(UninstrumentedFrameError.class, plainSend::run);
          assertNull(unbuffered.tryReceive(), "the failed send left a waiting sender behind");
        });
  }

  @Test
  void aFailedSleepLeavesTheFiberWorking() {
    Fibers.run(
        () -> {
          Runnable plain = () -> Weft.sleep(1);
          for (int k = 0; k < 3; k++) {
            try {
              plain.run();
              fail("expected an UninstrumentedFrameError");
            } catch (UninstrumentedFrameError e) {
              assertMessageNames(e, "lambda$");
            }
          }
          assertEquals("partner", Pause.receive("partner"));
          Pause.sleep();
          Pause.sleep();
        });
  }

  @Test
  void aClassTheAgentCannotRewriteFailsClearlyAndRunsNothingTwice(@TempDir Path dir)
      throws Exception {
    // Once instrumented, call() would exceed the 64 KB limit of a method's code: the agent must
    // leave the class as it is, and a suspension through it must fail, not run code twice.
    int calls = 2500;
    StringBuilder src = new StringBuilder();
    src.append("package dev.weft.shapes.gen;\n")
        .append("public class TooLarge implements dev.weft.SuspendableCallable<String> {\n")
        .append("  public static int entered;\n")
        .append("  @Override public String call() {\n")
        .append("    entered++;\n")
        .append("    long s = 0;\n");
    for (int k = 0; k < calls; k++) {
      src.append("    s += dev.weft.shapes.Pause.i(").append(k).append(");\n");
    }
    src.append("    return Long.toString(s);\n  }\n}\n");
    Path classes =
        ShapeCompiler.compile(dir, ShapeCompiler.writeSource(dir, "TooLarge", src.toString()), 17);
    int[] entered = new int[1];
    Object result;
    try {
      result =
          ShapeCompiler.run(
              classes, "TooLarge", c -> entered[0] = readStaticInt(c, "entered"));
    } catch (UninstrumentedFrameError e) {
      assertMessageNames(e, "dev.weft.shapes.gen.TooLarge.call()Ljava/lang/String;");
      result = null;
    }
    if (result != null) { // an agent that manages to rewrite it must get it right
      assertEquals(Long.toString((long) calls * (calls - 1) / 2), result);
    }
    assertEquals(1, entered[0], "the fiber's code ran more than once");
    assertSchedulerStillWorks();
  }

  private static int readStaticInt(Class<?> c, String field) {
    try {
      return c.getField(field).getInt(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void failingInAGoFiberDoesNotHurtTheOthers() {
    Fibers.run(
        () -> {
          Channel<String> results = Channel.make();
          for (int k = 0; k < 3; k++) {
            int id = k;
            Weft.go(
                () -> {
                  try {
                    if (id == 1) {
                      callsNotAnnotated(id);
                    }
                    Pause.here();
                    results.send("ok" + id);
                  } catch (UninstrumentedFrameError e) {
                    results.send("error" + id);
                  }
                });
          }
          List<String> got = new ArrayList<>();
          for (int k = 0; k < 3; k++) {
            got.add(results.receive());
          }
          got.sort(null);
          assertEquals(List.of("error1", "ok0", "ok2"), got);
        });
  }
}
