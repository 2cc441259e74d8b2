package dev.weft.junit;

import dev.weft.frame.Instrumented;
import java.lang.reflect.Method;

/**
 * Whether the Weft agent runs in this JVM, told by whether it rewrote this jar's own suspendable
 * code ({@link TestFiber}'s step), which every test in a fiber goes through. Without the agent no
 * method can suspend and a test would fail far from the cause, at its first block, with an error
 * about the runtime's internals; the extension fails it before it starts, saying what to add.
 */
final class AgentPresence {
  static final String MISSING =
      "WeftExtension runs each test inside a fiber, which needs the Weft agent, and this JVM was"
          + " started without it: nothing was rewritten to suspend. Add"
          + " -javaagent:/path/to/weft-agent.jar to the test JVM's arguments (Maven: the"
          + " maven-surefire-plugin's <argLine>; Gradle: test { jvmArgs '-javaagent:...' })";

  private static final boolean PRESENT = rewritten(stepMethod());

  private AgentPresence() {}

  /** Throws, with what to do, unless the agent rewrote this jar's code. */
  static void require() {
    if (!PRESENT) {
      throw new IllegalStateException(MISSING);
    }
  }

  /** Whether the agent rewrote {@code m}: it marks every method it rewrites. */
  static boolean rewritten(Method m) {
    return m.isAnnotationPresent(Instrumented.class);
  }

  static Method stepMethod() {
    try {
      return TestFiber.Step.class.getDeclaredMethod("run");
    } catch (NoSuchMethodException e) {
      throw new AssertionError("TestFiber's step has no run method", e);
    }
  }
}
