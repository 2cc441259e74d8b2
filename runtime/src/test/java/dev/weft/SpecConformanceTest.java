package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SPEC section 3 as an outside user sees it: the binding names and signatures, checked by
 * reflection so that no refactoring can change them unnoticed, and the discrepancies found by
 * checking the public API as an acceptance suite would (each of those tests failed before its fix).
 */
class SpecConformanceTest {
  private static final Duration HANG_GUARD = Duration.ofSeconds(30);

  /**
   * Every method of section 3, as {@link Method#toGenericString()} prints it, with "@S" when SPEC
   * marks it {@code @Suspendable}. Weft.run and Weft.call are suspendable too (they suspend a
   * calling fiber), which SPEC does not require but allows.
   */
  private static final List<String> SECTION_3 =
      List.of(
          "public static void dev.weft.Weft.run(dev.weft.SuspendableRunnable)",
          "public static <V> V dev.weft.Weft.call(dev.weft.SuspendableCallable<V>)",
          "public static void dev.weft.Weft.go(dev.weft.SuspendableRunnable)",
          "public static void dev.weft.Weft.sleep(java.time.Duration) @S",
          "public static void dev.weft.Weft.sleep(long) @S",
          "public static void dev.weft.Weft.gosched() @S",
          "public static dev.weft.Channel<java.time.Instant> dev.weft.Weft.after(java.time.Duration)",
          "public static dev.weft.Channel<java.time.Instant> dev.weft.Weft.tick(java.time.Duration)",
          "public static int dev.weft.Weft.maxProcs()",
          "public static int dev.weft.Weft.setMaxProcs(int)",
          "public static int dev.weft.Weft.numFibers()",
          "public static boolean dev.weft.Weft.inFiber()",
          "public static <T> T dev.weft.Weft.await(java.util.concurrent.CompletionStage<T>) @S",
          "public static <T> dev.weft.Channel<T> dev.weft.Channel.make()",
          "public static <T> dev.weft.Channel<T> dev.weft.Channel.make(int)",
          "public void dev.weft.Channel.send(T) @S",
          "public T dev.weft.Channel.receive() @S",
          "public boolean dev.weft.Channel.trySend(T)",
          "public T dev.weft.Channel.tryReceive()",
          "public void dev.weft.Channel.close()",
          "public boolean dev.weft.Channel.isClosed()",
          "public int dev.weft.Channel.len()",
          "public int dev.weft.Channel.cap()",
          "public void dev.weft.Channel.forEach(dev.weft.SuspendableConsumer<? super T>)"
              + " throws java.lang.Exception @S",
          "public static <T> dev.weft.Select$Case<T> dev.weft.Select.receive(dev.weft.Channel<T>)",
          "public static <T> dev.weft.Select$Case<T> dev.weft.Select.send(dev.weft.Channel<T>,T)",
          "public static int dev.weft.Select.select(dev.weft.Select$Case<?>...) @S",
          "public static int dev.weft.Select.select("
              + "java.util.List<? extends dev.weft.Select$Case<?>>) @S",
          "public static int dev.weft.Select.trySelect(dev.weft.Select$Case<?>...)",
          "public T dev.weft.Select$Case.value()",
          "public boolean dev.weft.Select$Case.ok()",
          "public void dev.weft.WaitGroup.add(int)",
          "public void dev.weft.WaitGroup.done()",
          "public void dev.weft.WaitGroup.await() @S",
          "public void dev.weft.Mutex.lock() @S",
          "public boolean dev.weft.Mutex.tryLock()",
          "public void dev.weft.Mutex.unlock()",
          "public abstract void dev.weft.SuspendableRunnable.run() throws java.lang.Exception @S",
          "public abstract V dev.weft.SuspendableCallable.call() throws java.lang.Exception @S",
          "public abstract void dev.weft.SuspendableConsumer.accept(T)"
              + " throws java.lang.Exception @S",
          "public abstract R dev.weft.SuspendableFunction.apply(T) throws java.lang.Exception @S");

  @Test
  void everyMethodOfSection3ExistsWithItsExactSignature() {
    Set<String> actual = new TreeSet<>();
    for (Class<?> c :
        List.of(
            Weft.class,
            Channel.class,
            Select.class,
            Select.Case.class,
            WaitGroup.class,
            Mutex.class,
            SuspendableRunnable.class,
            SuspendableCallable.class,
            SuspendableConsumer.class,
            SuspendableFunction.class)) {
      for (Method m : c.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers())) {
          boolean suspendable = m.isAnnotationPresent(Suspendable.class);
          actual.add(m.toGenericString() + (suspendable ? " @S" : ""));
        }
      }
    }
    List<String> missing = new ArrayList<>();
    for (String expected : SECTION_3) {
      String alsoSuspendable = expected + " @S";
      boolean allowedExtraMark =
          expected.contains("Weft.run(") || expected.contains("Weft.call(");
      if (!actual.contains(expected) && !(allowedExtraMark && actual.contains(alsoSuspendable))) {
        missing.add(expected);
      }
    }
    assertTrue(missing.isEmpty(), "missing or changed: " + missing + "\nactual: " + actual);
  }

  @Test
  void theTypesOfSection3HaveTheirDeclaredShape() throws Exception {
    for (Class<?> c :
        List.of(Weft.class, Channel.class, Select.class, WaitGroup.class, Mutex.class)) {
      int m = c.getModifiers();
      assertTrue(Modifier.isPublic(m) && Modifier.isFinal(m), c + " is public final");
    }
    int caseModifiers = Select.Case.class.getModifiers();
    assertTrue(
        Modifier.isPublic(caseModifiers)
            && Modifier.isStatic(caseModifiers)
            && Modifier.isFinal(caseModifiers)
            && Select.Case.class.getEnclosingClass() == Select.class,
        "Select.Case is a public static final nested class");
    assertTrue(Modifier.isPublic(WaitGroup.class.getConstructor().getModifiers()));
    assertTrue(Modifier.isPublic(Mutex.class.getConstructor().getModifiers()));
    for (Class<?> c : List.of(ChannelClosedException.class, DeadlockException.class)) {
      assertEquals(IllegalStateException.class, c.getSuperclass(), c + " extends ISE");
      assertTrue(Modifier.isPublic(c.getModifiers()) && !Modifier.isFinal(c.getModifiers()));
      assertTrue(Modifier.isPublic(c.getConstructor().getModifiers()), c + "()");
    }
    for (Class<?> c :
        List.of(
            SuspendableRunnable.class,
            SuspendableCallable.class,
            SuspendableConsumer.class,
            SuspendableFunction.class)) {
      assertTrue(c.isInterface() && c.isAnnotationPresent(FunctionalInterface.class), c.getName());
    }
    assertTrue(Suspendable.class.isAnnotationPresent(Documented.class));
    assertEquals(RetentionPolicy.RUNTIME, Suspendable.class.getAnnotation(Retention.class).value());
    assertEquals(
        List.of(ElementType.METHOD), List.of(Suspendable.class.getAnnotation(Target.class).value()));
  }

  /**
   * The usual way to feed a Weft program from the outside: start a producer thread, then run main.
   * The thread may not have reached its first send when main parks; that is not a deadlock, and
   * reporting one made this program fail now and then (on a cold JVM, almost always).
   */
  @Test
  void aPlainThreadStartedJustBeforeRunIsNotMistakenForADeadlock() {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          for (int round = 0; round < 20; round++) {
            Channel<Integer> values = Channel.make(4);
            Thread producer =
                new Thread(
                    () -> {
                      for (int i = 1; i <= 3; i++) {
                        values.send(i);
                      }
                      values.close();
                    });
            producer.start();
            int sum =
                Weft.call(
                    () -> {
                      int s = 0;
                      for (Integer v; (v = values.receive()) != null; ) {
                        s += v;
                      }
                      return s;
                    });
            assertEquals(6, sum);
            producer.join();
          }
        });
  }

  /**
   * The same race made deterministic: the producer first touches the channel only once main is
   * seen parked on it. (DeadlockGraceTest holds the grace period open and sends after the
   * detector has found the candidate.)
   */
  @Test
  void aPlainThreadThatSendsShortlyAfterMainParksIsNotADeadlock() {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          Channel<String> greeting = Channel.make();
          String parkedOn = "parked on receive from " + greeting;
          CountDownLatch seenParked = new CountDownLatch(1);
          Thread late =
              new Thread(
                  () -> {
                    // Reads dumps only: never touches the channel before its send. Bounded, so
                    // that a failed run leaves no thread spinning behind it.
                    long giveUp = System.nanoTime() + HANG_GUARD.toNanos();
                    while (!Weft.dumpFibers().contains(parkedOn)) {
                      if (System.nanoTime() > giveUp) {
                        return;
                      }
                      Thread.onSpinWait();
                    }
                    seenParked.countDown();
                    greeting.send("hello");
                  });
          late.start();
          assertEquals("hello", Weft.call(greeting::receive));
          assertTrue(seenParked.await(1, TimeUnit.SECONDS));
          late.join();
        });
  }

  /** The grace period delays a real deadlock report; it does not hide it. */
  @Test
  void aRealDeadlockIsStillReported() {
    DeadlockException e =
        assertTimeoutPreemptively(
            HANG_GUARD,
            () ->
                assertThrows(
                    DeadlockException.class, () -> Weft.run(() -> Channel.make().receive())));
    assertTrue(e.getMessage().startsWith("all fibers are asleep - deadlock!"), e.getMessage());
  }
}
