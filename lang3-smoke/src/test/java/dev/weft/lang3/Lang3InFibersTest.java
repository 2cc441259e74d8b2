package dev.weft.lang3;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * A smoke subset of commons-lang3's own test suite (its published tests jar), run on every build
 * as {@code bench/lang3-in-fibers.sh} runs the whole of it: every method of lang3 and of its tests
 * is suspendable (the list the build writes before the tests), {@code WeftExtension} is
 * auto-detected, so each test and its {@code @BeforeEach}/{@code @AfterEach} run in one fiber,
 * and this JVM yields at 5% of suspendable calls on a single worker (see the module's pom).
 *
 * <p>The classes are chosen for breadth of bytecode shapes, not for threads: the builders
 * (reflection, recursion, arrays of every primitive type, registries kept in thread-locals), the
 * reflection utilities (generic types, varargs, bridges), text (tokenizers, substitution,
 * formats), mutable boxes and tuples. None of them starts threads of its own. Left out:
 * lang3's concurrency tests, and {@code ExtendedMessageFormatTest}, which formats in every
 * installed locale and alone takes longer than all the rest.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class Lang3InFibersTest {
  private static final String LANG3 = "org.apache.commons.lang3.";

  /** The chosen test classes, relative to lang3's package. */
  private static final List<String> CHOSEN =
      List.of(
          "builder.CompareToBuilderTest",
          "builder.ConversionTest",
          "builder.DefaultToStringStyleTest",
          "builder.DiffBuilderTest",
          "builder.DiffResultTest",
          "builder.DiffTest",
          "builder.EqualsBuilderTest",
          "builder.HashCodeBuilderAndEqualsBuilderTest",
          "builder.HashCodeBuilderTest",
          "builder.IDKeyTest",
          "builder.JsonToStringStyleTest",
          "builder.MultiLineToStringStyleTest",
          "builder.MultilineRecursiveToStringStyleTest",
          "builder.NoClassNameToStringStyleTest",
          "builder.NoFieldNamesToStringStyleTest",
          "builder.RecursiveToStringStyleTest",
          "builder.ReflectionDiffBuilderTest",
          "builder.ReflectionToStringBuilderCustomImplementationTest",
          "builder.ReflectionToStringBuilderExcludeNullValuesTest",
          "builder.ReflectionToStringBuilderExcludeTest",
          "builder.ReflectionToStringBuilderExcludeWithAnnotationTest",
          "builder.ReflectionToStringBuilderIncludeTest",
          "builder.ReflectionToStringBuilderSummaryTest",
          "builder.ReflectionToStringBuilderTest",
          "builder.ShortPrefixToStringStyleTest",
          "builder.SimpleToStringStyleTest",
          "builder.StandardToStringStyleTest",
          "builder.ToStringBuilderTest",
          "builder.ToStringStyleTest",
          "reflect.ConstructorUtilsTest",
          "reflect.FieldUtilsTest",
          "reflect.InheritanceUtilsTest",
          "reflect.MethodUtilsTest",
          "reflect.TypeLiteralTest",
          "reflect.TypeUtilsTest",
          "text.CompositeFormatTest",
          "text.FormattableUtilsTest",
          "text.StrBuilderAppendInsertTest",
          "text.StrBuilderTest",
          "text.StrLookupTest",
          "text.StrMatcherTest",
          "text.StrSubstitutorTest",
          "text.StrTokenizerTest",
          "text.WordUtilsTest",
          "mutable.MutableBooleanTest",
          "mutable.MutableByteTest",
          "mutable.MutableDoubleTest",
          "mutable.MutableFloatTest",
          "mutable.MutableIntTest",
          "mutable.MutableLongTest",
          "mutable.MutableObjectTest",
          "mutable.MutableShortTest",
          "tuple.ImmutablePairTest",
          "tuple.ImmutableTripleTest",
          "tuple.MutablePairTest",
          "tuple.MutableTripleTest",
          "tuple.PairTest",
          "tuple.TripleTest");

  /**
   * Fewer tests than this means the tests jar or the selection went missing: the run fails
   * rather than passing on next to nothing. The chosen classes hold about 1,200 tests.
   */
  private static final int AT_LEAST = 1_000;

  @Test
  void theChosenTestsPassInsideFibers() {
    List<DiscoverySelector> selectors = new ArrayList<>();
    selectors.add(selectClass(InFiberProbe.class));
    for (String name : CHOSEN) {
      selectors.add(selectClass(LANG3 + name));
    }
    long start = System.nanoTime();
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectors.toArray(new DiscoverySelector[0]))
            .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
            .execute();
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    Events tests = results.testEvents();
    System.out.printf(
        "lang3 in fibers: %d tests started, %d succeeded, %d failed, %d aborted, %d skipped; %d s%n",
        tests.started().count(),
        tests.succeeded().count(),
        tests.failed().count(),
        tests.aborted().count(),
        tests.skipped().count(),
        seconds);

    StringBuilder failures = new StringBuilder();
    for (Event e : results.allEvents().failed().list()) {
      failures.append("\n").append(e.getTestDescriptor().getUniqueId()).append(": ");
      e.getPayload(TestExecutionResult.class)
          .flatMap(TestExecutionResult::getThrowable)
          .ifPresent(t -> failures.append(stackTrace(t)));
    }
    if (failures.length() > 0) {
      fail("lang3 tests failed inside fibers:" + failures);
    }
    long started = tests.started().count();
    assertTrue(
        started >= AT_LEAST,
        "only " + started + " lang3 tests ran (at least " + AT_LEAST + " expected): is the"
            + " commons-lang3 tests jar on the class path?");
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
