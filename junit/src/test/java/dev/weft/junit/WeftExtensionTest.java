package dev.weft.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.weft.Channel;
import dev.weft.DeadlockException;
import dev.weft.Weft;
import dev.weft.core.Fiber;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * SPEC section 3b: the extension runs test and lifecycle methods inside fibers, with no
 * {@code @Suspendable} on them, keeps a test and its {@code @BeforeEach}/{@code @AfterEach} in one
 * fiber, and turns a deadlock into the test's failure. The sample classes below are run through
 * JUnit's own engine, as a build would run them, and their events checked.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WeftExtensionTest {
  static final Queue<String> log = new ConcurrentLinkedQueue<>();

  private static EngineExecutionResults run(Class<?> samples, boolean autodetect) {
    log.clear();
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(samples))
        .configurationParameter(
            "junit.jupiter.extensions.autodetection.enabled", String.valueOf(autodetect))
        .execute();
  }

  @ExtendWith(WeftExtension.class)
  static class Blocking {
    static long before;
    Channel<Integer> numbers;
    Fiber setUpIn;

    @BeforeAll
    static void startOnce() {
      Weft.sleep(1); // parks a fiber: a @BeforeAll may block too
      before = 1L << 40;
      log.add("beforeAll in fiber " + Weft.inFiber());
    }

    @BeforeEach
    void setUp() {
      numbers = Channel.make();
      Channel<Integer> out = numbers;
      Weft.go(() -> out.send(41));
      setUpIn = Fiber.current();
    }

    @Test
    void receivesWhatTheSetUpsFiberSends() {
      long kept = before + 3;
      double half = 0.5;
      int got = numbers.receive(); // the test's fiber parks here; locals must survive
      assertEquals(42, got + 1);
      assertEquals((1L << 40) + 3, kept);
      assertEquals(0.5, half);
      assertSame(setUpIn, Fiber.current(), "the test runs in its @BeforeEach's fiber");
      log.add("test");
    }

    @RepeatedTest(3)
    void repeated() {
      Weft.sleep(1);
      assertEquals(41, numbers.receive());
      log.add("repeated");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void parameterized(int n) {
      Weft.gosched();
      assertEquals(41, numbers.receive());
      log.add("parameterized " + n);
    }

    @TestFactory
    Stream<DynamicTest> dynamic() {
      return Stream.of(5, 6)
          .map(
              n ->
                  DynamicTest.dynamicTest(
                      "dynamic " + n,
                      () -> {
                        Weft.sleep(1);
                        log.add("dynamic " + n + " in fiber " + Weft.inFiber());
                      }));
    }

    @AfterEach
    void tearDown() {
      assertSame(setUpIn, Fiber.current(), "@AfterEach runs in the test's fiber");
      numbers.tryReceive(); // the factory's test leaves 41 unreceived
      Weft.sleep(1);
    }

    @AfterAll
    static void endOnce() {
      Weft.sleep(1);
      log.add("afterAll in fiber " + Weft.inFiber());
    }
  }

  @Test
  void testsAndLifecycleMethodsBlockInsideFibers() {
    run(Blocking.class, false)
        .testEvents()
        .assertStatistics(stats -> stats.started(9).succeeded(9).failed(0));
    List<String> seen = List.copyOf(log);
    assertTrue(seen.contains("beforeAll in fiber true"), seen::toString);
    assertTrue(seen.contains("afterAll in fiber true"), seen::toString);
    assertTrue(seen.contains("test"), seen::toString);
    assertEquals(3, seen.stream().filter("repeated"::equals).count(), seen::toString);
    assertTrue(seen.contains("parameterized 3"), seen::toString);
    assertTrue(seen.contains("dynamic 6 in fiber true"), seen::toString);
  }

  static class Autodetected {
    @Test
    void blocks() {
      Weft.sleep(1);
      log.add("autodetected in fiber " + Weft.inFiber());
    }
  }

  @Test
  void autodetectionRegistersTheExtensionForASuite() {
    run(Autodetected.class, true).testEvents().assertStatistics(stats -> stats.succeeded(1));
    assertEquals(List.of("autodetected in fiber true"), List.copyOf(log));
  }

  @ExtendWith(WeftExtension.class)
  static class Failing {
    @Test
    void deadlocks() {
      Channel<String> nobodySends = Channel.make();
      log.add("received " + nobodySends.receive());
    }

    @Test
    void assertionFails() {
      Weft.sleep(1);
      assertEquals(1, 2, "the test's own message");
    }

    @AfterEach
    void stillRuns() {
      Weft.sleep(1);
      log.add("afterEach in fiber " + Weft.inFiber());
    }
  }

  @Test
  void aDeadlockFailsTheTestWithTheDeadlockExceptionAndAfterEachStillRuns() {
    EngineExecutionResults results = run(Failing.class, false);
    results.testEvents().assertStatistics(stats -> stats.started(2).failed(2));
    results
        .testEvents()
        .assertThatEvents()
        .haveExactly(
            1,
            event(test("deadlocks"), finishedWithFailure(instanceOf(DeadlockException.class))))
        .haveExactly(
            1,
            event(
                test("assertionFails"),
                finishedWithFailure(
                    instanceOf(org.opentest4j.AssertionFailedError.class),
                    message(m -> m.startsWith("the test's own message")))));
    assertEquals(
        List.of("afterEach in fiber true", "afterEach in fiber true"),
        List.copyOf(log),
        "@AfterEach runs after a deadlock too, in a fiber");
  }
}
