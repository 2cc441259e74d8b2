package dev.weft.junit;

import dev.weft.SuspendableCallable;
import dev.weft.Weft;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.function.Executable;

/**
 * Runs JUnit Jupiter tests inside Weft fibers, so a test may block on channels, {@code select},
 * {@code Weft.sleep} or the network as the code under test does.
 *
 * <p>Each test method runs together with its {@code @BeforeEach} and {@code @AfterEach} methods in
 * one fiber; {@code @BeforeAll} and {@code @AfterAll} methods, and each dynamic test's body, run
 * in fibers of their own. The path from the extension to the test method is fully rewritten, and
 * this jar's {@code META-INF/weft/suspendables} makes JUnit's test and lifecycle methods
 * suspendable, so tests need no {@code @Suspendable}. A test whose fibers deadlock fails with the
 * {@link dev.weft.DeadlockException} that lists them. Run the tests under the agent
 * ({@code -javaagent:weft-agent.jar} in the test JVM's arguments); without it every test fails
 * at once with an {@code IllegalStateException} that says so.
 *
 * <pre>{@code
 * @ExtendWith(WeftExtension.class)
 * class PipelineTest {
 *   @Test
 *   void stagesPassValuesOn() {
 *     Channel<Integer> out = Channel.make();
 *     Weft.go(() -> out.send(42));
 *     assertEquals(42, out.receive()); // parks the test's fiber, not a thread
 *   }
 * }
 * }</pre>
 *
 * <p>For a whole suite, put the jar on the test class path and set {@code
 * junit.jupiter.extensions.autodetection.enabled=true} (in {@code junit-platform.properties}).
 */
public final class WeftExtension implements InvocationInterceptor, AfterEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(WeftExtension.class);

  /** Creates the extension; JUnit does, from {@code @ExtendWith} or auto-detection. */
  public WeftExtension() {}

  @Override
  public void interceptBeforeAllMethod(
      Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext test)
      throws Throwable {
    inOwnFiber(invocation, call);
  }

  @Override
  public void interceptAfterAllMethod(
      Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext test)
      throws Throwable {
    inOwnFiber(invocation, call);
  }

  @Override
  public void interceptBeforeEachMethod(
      Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext test)
      throws Throwable {
    inTestFiber(invocation, call, test);
  }

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext test)
      throws Throwable {
    inTestFiber(invocation, call, test);
  }

  @Override
  public void interceptTestTemplateMethod(
      Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext test)
      throws Throwable {
    inTestFiber(invocation, call, test);
  }

  @Override
  public <T> T interceptTestFactoryMethod(
      Invocation<T> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext test)
      throws Throwable {
    return inTestFiber(invocation, call, test);
  }

  @Override
  public void interceptAfterEachMethod(
      Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext test)
      throws Throwable {
    inTestFiber(invocation, call, test);
  }

  @Override
  public void interceptDynamicTest(
      Invocation<Void> invocation, DynamicTestInvocationContext call, ExtensionContext test)
      throws Throwable {
    invocation.skip();
    AgentPresence.require();
    Executable body = call.getExecutable();
    inFiber(
        test.getDisplayName(),
        () -> {
          try {
            body.execute();
          } catch (Throwable t) {
            throw WeftExtension.<RuntimeException>unchecked(t);
          }
          return null;
        });
  }

  /** The test and its lifecycle methods are done: its fiber ends. */
  @Override
  public void afterEach(ExtensionContext test) throws Exception {
    TestFiber fiber = test.getStore(NAMESPACE).remove(TestFiber.class, TestFiber.class);
    if (fiber != null) {
      fiber.close();
    }
  }

  private static <T> T inTestFiber(
      Invocation<T> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext test)
      throws Throwable {
    invocation.skip();
    AgentPresence.require();
    TestFiber fiber =
        test.getStore(NAMESPACE)
            .getOrComputeIfAbsent(
                TestFiber.class, k -> new TestFiber(test.getDisplayName()), TestFiber.class);
    @SuppressWarnings("unchecked")
    T result = (T) fiber.run(direct(call));
    return result;
  }

  private static void inOwnFiber(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call)
      throws Throwable {
    invocation.skip();
    AgentPresence.require();
    inFiber(call.getExecutable().getName(), direct(call));
  }

  private static SuspendableCallable<Object> direct(ReflectiveInvocationContext<Method> call) {
    return DirectCall.of(call.getExecutable(), call.getTarget().orElse(null), call.getArguments().toArray());
  }

  /** Runs a body in a fiber of its own and rethrows what it threw, unwrapped. */
  private static void inFiber(String name, SuspendableCallable<Object> body) throws Throwable {
    TestFiber fiber = new TestFiber(name);
    try {
      fiber.run(body);
    } finally {
      fiber.close();
    }
  }

  /** Rethrows any throwable as it is: a dynamic test's body may throw what it likes. */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T unchecked(Throwable t) throws T {
    throw (T) t;
  }
}
